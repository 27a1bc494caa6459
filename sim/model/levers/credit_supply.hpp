// Credit supply: more credit for renewal projects, at no or small public cost.
// - `access_share`: a dedicated credit plan or credit line serves this share
//   of the covered firms that banks otherwise ration (a fixed draw per firm);
//   Liaocheng §3.3 (separate credit plan, dedicated lines), Sichuan §7
//   ("技改贷", "更新贷" loan products).
// - `limit_lift`: government guarantees and insurance credit enhancement raise
//   the firm's credit limit by this share (Wenzhou §3.3).
// - `rate_cut`: points off the rate of the project's borrowing, e.g. leasing
//   firms' discounted leasing rates or bank concessions (Wenzhou §3.3); paid
//   by the lender, not the budget.
// - `expected_loss`: the guarantee's expected loss, as a share of the credit
//   the lever made possible (loans of firms it gave access to, and borrowing
//   above the ordinary limit), booked as outlay when the project starts.
#pragma once

#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

struct CreditSupplyParams : LeverBase {
  double access_share = 0;   // of rationed covered firms that get credit
  double limit_lift = 0;     // the credit limit rises by this share
  double rate_cut = 0;       // off the loan rate (0.005 = 0.5 pp)
  double expected_loss = 0;  // of the credit the lever made possible, paid by the budget
};

class CreditSupply {
 public:
  explicit CreditSupply(CreditSupplyParams p) : p_(std::move(p)) {}
  const CreditSupplyParams& params() const { return p_; }
  bool covers(const ProjectView& v) const { return p_.covers(v); }
  // Whether the lever gives a firm without ordinary credit access a loan for this project.
  bool gives_access(const ProjectView& v) const {
    return p_.access_share > 0 && covers(v) && p_.firm_draw(v) < p_.access_share;
  }
  double limit_lift(const ProjectView& v) const { return covers(v) ? p_.limit_lift : 0.0; }
  double rate_cut(const ProjectView& v) const { return covers(v) ? p_.rate_cut : 0.0; }

 private:
  CreditSupplyParams p_;
};

}  // namespace renewsim::model
