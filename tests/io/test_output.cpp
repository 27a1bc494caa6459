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

TEST_CASE("series.csv streamed into its file is the text series_csv gives", "[io][output]") {
  TempDir d;
  const std::string dir = d.path.string();
  // Two variants, two replications, enough rows to pass the 1 MiB chunks.
  io::SeriesTable t;
  t.variants = {"policy", "without:x,y"};
  for (int v = 0; v < 2; ++v) {
    t.rows.emplace_back();
    for (int r = 0; r < 2; ++r) {
      std::vector<model::MetricRow> rows;
      for (int i = 0; i < 12000; ++i)
        rows.push_back({2023 + i % 8, i % 3 == 0 ? "equipment_investment" : "cnc_rate", 1e6 * v + r + i / 7.0});
      t.rows.back().push_back(std::move(rows));
    }
  }
  const std::string text = io::series_csv(t);
  REQUIRE(text.size() > (std::size_t{1} << 20));
  io::write_files_atomically(dir, {{"series.csv", "", [&](io::TextSink& out) { io::write_series_csv(t, out); }},
                                   {"other.csv", "x\n"}});
  CHECK(read_all(d.path / "series.csv") == text);
  CHECK(read_all(d.path / "other.csv") == "x\n");
  // A stream that fails leaves the files as they were, and no temporary behind.
  try {
    io::write_files_atomically(dir, {{"series.csv", "", [&](io::TextSink& out) {
                                        out.put("partial");
                                        throw std::runtime_error("no more");
                                      }},
                                     {"other.csv", "y\n"}});
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "no more; no output file was written");
  }
  CHECK(read_all(d.path / "series.csv") == text);
  CHECK(read_all(d.path / "other.csv") == "x\n");
  CHECK(!fs::exists(d.path / ".series.csv.partial"));
}
