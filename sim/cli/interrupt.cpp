#include "cli/interrupt.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace renewsim::cli {
namespace {

// The handler may run on any thread (the replications run on TBB workers), so
// the phase is an atomic that the handler and the main thread change by CAS:
// whoever leaves kRunning first decides whether the process ends now.
enum Phase : int { kRunning, kWriting, kExiting };
std::atomic<int> g_phase{kRunning};
std::atomic<int> g_pending{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

// Prepared outside the handler, which may only call async-signal-safe functions.
char g_dir[4096] = "";
bool g_remove_dir = false;
char g_message_int[4400] = "renewsim: interrupted by SIGINT; no output was written\n";
char g_message_term[4400] = "renewsim: interrupted by SIGTERM; no output was written\n";

struct sigaction g_old_int {}, g_old_term {};

extern "C" void on_signal(int sig) {
  int expected = kRunning;
  if (g_phase.compare_exchange_strong(expected, kExiting)) {
    if (g_remove_dir) ::rmdir(g_dir);  // only an empty directory goes
    const char* msg = sig == SIGINT ? g_message_int : g_message_term;
    const ssize_t ignored = ::write(STDERR_FILENO, msg, std::strlen(msg));
    (void)ignored;
    ::_exit(128 + sig);
  }
  if (expected == kWriting) {
    int none = 0;
    g_pending.compare_exchange_strong(none, sig);  // the first signal counts
  }
  // kExiting: another thread is already ending the process.
}

void format_messages(const char* prefix, const char* dir, bool removed) {
  for (const auto& [buf, name] : {std::pair{g_message_int, "SIGINT"}, std::pair{g_message_term, "SIGTERM"}}) {
    if (dir[0] == '\0')
      std::snprintf(buf, sizeof g_message_int, "%srenewsim: interrupted by %s; no output was written\n", prefix, name);
    else if (removed)
      std::snprintf(buf, sizeof g_message_int,
                    "%srenewsim: interrupted by %s; no output was written (%s removed)\n", prefix, name, dir);
    else
      std::snprintf(buf, sizeof g_message_int,
                    "%srenewsim: interrupted by %s; no output was written (%s left as it was)\n", prefix, name, dir);
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_phase = kRunning;
  g_pending = 0;
  format_messages("", "", false);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

void InterruptGuard::set_output_dir(const std::string& dir, bool remove_if_empty, bool newline) {
  // Called before the run starts threads: holding signals on this thread keeps
  // the handler from reading the buffers half-written.
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  std::snprintf(g_dir, sizeof g_dir, "%s", dir.c_str());
  g_remove_dir = remove_if_empty && dir.size() < sizeof g_dir;
  format_messages(newline ? "\n" : "", g_dir, g_remove_dir);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void InterruptGuard::set_sweep_output(const std::string& dir, const std::string& resume_command, bool newline) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  g_remove_dir = false;
  for (const auto& [buf, name] : {std::pair{g_message_int, "SIGINT"}, std::pair{g_message_term, "SIGTERM"}})
    std::snprintf(buf, sizeof g_message_int,
                  "%srenewsim: interrupted by %s; every finished run is kept in %s; continue with: %s\n",
                  newline ? "\n" : "", name, dir.c_str(), resume_command.c_str());
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void InterruptGuard::begin_writing() {
  int expected = kRunning;
  if (!g_phase.compare_exchange_strong(expected, kWriting))
    for (;;) ::pause();  // a handler on another thread is ending the process
}

int InterruptGuard::end_writing() { return g_pending.load(); }

}  // namespace renewsim::cli
