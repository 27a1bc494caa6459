#include "version.hpp"

namespace renewsim {
const char* version() { return RENEWSIM_VERSION; }
}  // namespace renewsim
