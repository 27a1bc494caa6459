// SIGINT and SIGTERM during `renewsim run`: complete output files or none.
//
// Until the outputs are written, a signal ends the process at once: nothing
// has been written, and an output directory this run created (still empty)
// is removed. While the outputs are being written the signal is held back, so
// that the files are completed and renamed into place together; the run then
// ends with the signal's status. Either way one line on stderr says which.
// Exit status: 128 + the signal number (130 for SIGINT, 143 for SIGTERM).
#pragma once

#include <string>

namespace renewsim::cli {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The run's output directory, before it is prepared. `remove_if_empty`:
  // the directory did not exist, so an interrupted run removes it again.
  // `newline`: a progress line is on the terminal; start messages on a new line.
  void set_output_dir(const std::string& dir, bool remove_if_empty, bool newline);
  // A sweep: its streamed outputs stay as they are (every finished run is
  // kept) and the message says how to continue.
  void set_sweep_output(const std::string& dir, const std::string& resume_command, bool newline);
  // From here on a signal is held until the outputs are written.
  void begin_writing();
  // The signal received while writing (0 if none).
  int end_writing();
};

}  // namespace renewsim::cli
