// Invariant checks of the model: on in the checked build (RENEWSIM_CHECKS,
// every test preset), compiled out in Release. A violated invariant throws
// std::logic_error naming it.
#pragma once

#include <stdexcept>
#include <string>

#ifdef RENEWSIM_CHECKS
#define RENEWSIM_INVARIANT(cond, what)                                                   \
  do {                                                                                   \
    if (!(cond)) throw std::logic_error(std::string("invariant violated: ") + (what)); \
  } while (0)
#else
#define RENEWSIM_INVARIANT(cond, what) \
  do {                                 \
  } while (0)
#endif
