// Approval lever: a shorter approval lead time for eligible projects.
// Models commitment filing instead of full approval for renovation without new
// land (Quanzhou §8.2, Sichuan §8, Liaocheng §3.4, Wenzhou §3.4), faster land
// approval for leading firms (Quanzhou §8.2, Jiaxing §14; eligibility by size)
// and the green channel for energy-saving review (Wenzhou §3.4). It moves
// orders, payments and commissioning earlier; it costs no public money.
#pragma once

#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct ApprovalLeverParams : LeverBase {  // no outlay: the funding shares are unused
  int days_saved = 30;  // cut from the category's approval lead time (never below 0 days)
};

class ApprovalLever {
 public:
  explicit ApprovalLever(ApprovalLeverParams p) : p_(std::move(p)) {}
  const ApprovalLeverParams& params() const { return p_; }
  // Days this lever saves a project starting now (0 if it does not apply).
  int days_saved(const ProjectView& v) const {
    return p_.covers(v) ? p_.days_saved : 0;
  }

 private:
  ApprovalLeverParams p_;
};

}  // namespace renewsim::model
