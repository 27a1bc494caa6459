// Levers that change what a project costs or counts for, rather than paying a
// share of it: the land price of an expansion, a cluster's group purchase and
// first-of-kind equipment. One type each; they share this file because each
// is a few lines.
#pragma once

#include <string>

#include "model/levers/lever_common.hpp"

namespace renewsim::model {

// Land (`type = "land"`): raising the plot ratio on own land costs no land
// price (Wenzhou §3.4 "zero-land renovation"; Quanzhou §8.2 and Jiaxing §14:
// expansion treated like inward investment). Waives `waiver` of the land cost
// that an expansion pays (the sector's `expansion_land_cost`, a share of the
// equipment price). The waived price is public revenue forgone, booked as
// outlay when the project starts. `score_bonus` models per-mu performance
// bonus points: it raises the firm's evaluation score in tiered calls.
// Priority land quotas and faster approval are the approval lever's.
struct LandLeverParams : LeverBase {
  LandLeverParams() {
    funding = {0, 0, 0, 1};  // the county's land revenue
    eligible.kinds.set(static_cast<std::size_t>(ProjectKind::Expand));
  }
  double waiver = 1.0;       // share of the land cost waived
  double score_bonus = 0.0;  // added to the evaluation score (0..1 scale)
};

class LandLever {
 public:
  explicit LandLever(LandLeverParams p) : p_(std::move(p)) {}
  const LandLeverParams& params() const { return p_; }
  double waiver(const ProjectView& v) const { return p_.covers(v) ? p_.waiver : 0.0; }
  double score_bonus(const ProjectView& v) const { return p_.covers(v) ? p_.score_bonus : 0.0; }

 private:
  LandLeverParams p_;
};

// Group purchase (`type = "group_purchase"`): buyers of a named cluster
// (eligibility by sector and county) buy together and suppliers give a
// discount (Jiaxing §9: fasteners, bags, socks). `participation` is the share
// of the cluster's firms that join (a fixed draw per firm). The discount
// lowers the price itself; it costs no public money.
struct GroupPurchaseParams : LeverBase {
  double discount = 0.05;
  double participation = 1.0;
};

class GroupPurchase {
 public:
  explicit GroupPurchase(GroupPurchaseParams p) : p_(std::move(p)) {}
  const GroupPurchaseParams& params() const { return p_; }
  double discount(const ProjectView& v) const {
    return p_.covers(v) && p_.firm_draw(v) < p_.participation ? p_.discount : 0.0;
  }

 private:
  GroupPurchaseParams p_;
};

// First-of-kind equipment (`type = "first_of_kind"`): a share of the covered
// projects buy a domestic first unit (a fixed draw per project). It counts at
// `investment_factor` times its price in project investment, both as the base
// of capital subsidies and in the counted-investment statistics (Jiaxing §11:
// price + 50 %), and gets insurance compensation: `insurance_subsidy` of the
// price paid to the firm when the project starts (Wenzhou §2.4.2), fiscal outlay.
struct FirstOfKindParams : LeverBase {
  FirstOfKindParams() { funding = {0, 1, 0, 0}; }  // provincial catalogues
  double share = 0.1;
  double investment_factor = 1.5;
  double insurance_subsidy = 0.0;
};

class FirstOfKind {
 public:
  explicit FirstOfKind(FirstOfKindParams p) : p_(std::move(p)) {}
  const FirstOfKindParams& params() const { return p_; }
  bool applies(const ProjectView& v) const {
    return p_.covers(v) && keyed_uniform(v.project_key, p_.salt()) < p_.share;
  }

 private:
  FirstOfKindParams p_;
};

}  // namespace renewsim::model
