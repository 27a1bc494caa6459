#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "io/output.hpp"

using namespace renewsim;
namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string error_of(void (*f)(const std::string&, const std::string&), const std::string& a, const std::string& b) {
  try {
    f(a, b);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("renewsim_test_output_" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};
}  // namespace

TEST_CASE("a full disk is reported with the path and the reason", "[io][output]") {
  REQUIRE(fs::exists("/dev/full"));  // Linux
  const std::string e = error_of(io::write_whole_file, "/dev/full", std::string(1 << 16, 'x'));
  CHECK(e == "/dev/full: write failed: No space left on device (disk full)");
}

TEST_CASE("a set of outputs is renamed into place only when every file is complete", "[io][output]") {
  TempDir d;
  const std::string dir = d.path.string();
  io::write_files_atomically(dir, {{"a.csv", "old a\n"}, {"b.csv", "old b\n"}});
  CHECK(read_all(d.path / "a.csv") == "old a\n");
  CHECK(read_all(d.path / "b.csv") == "old b\n");
  // b's temporary name is taken by a directory: b cannot be written, so a is not replaced either.
  fs::create_directory(d.path / ".b.csv.partial");
  try {
    io::write_files_atomically(dir, {{"a.csv", "new a\n"}, {"b.csv", "new b\n"}});
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) ==
          (d.path / ".b.csv.partial").string() + ": cannot create: Is a directory; no output file was written");
  }
  CHECK(read_all(d.path / "a.csv") == "old a\n");
  CHECK(read_all(d.path / "b.csv") == "old b\n");
  CHECK(!fs::exists(d.path / ".a.csv.partial"));
}

TEST_CASE("an output directory is created, refused when not empty, and checked for writing", "[io][output]") {
  TempDir d;
  const std::string sub = (d.path / "x" / "y").string();
  CHECK(io::prepare_output_dir(sub, false));
  CHECK(fs::is_directory(sub));
  CHECK(fs::is_empty(sub));  // the write probe is gone
  CHECK_FALSE(io::prepare_output_dir(sub, false));  // exists and empty: fine
  io::write_file_atomically(sub, "f.csv", "1\n");
  CHECK_THROWS_WITH(io::prepare_output_dir(sub, false), Catch::Contains("use --force"));
  CHECK_FALSE(io::prepare_output_dir(sub, true));
  std::ofstream(d.path / "file") << "x";
  CHECK_THROWS_WITH(io::prepare_output_dir((d.path / "file" / "z").string(), false),
                    Catch::EndsWith("cannot create the output directory: Not a directory"));
}
