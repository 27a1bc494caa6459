// Errors in what the user gave us (files, keys, values): exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace renewsim::io {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace renewsim::io
