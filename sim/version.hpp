#pragma once

namespace renewsim {
// Project version from CMake, and the git revision the binary was built from.
const char* version();
const char* git_revision();
}  // namespace renewsim
