// Runs the real `strongroom` binary as a child process, as a user would.
#ifndef STRONGROOM_TESTS_CLI_HARNESS_H_
#define STRONGROOM_TESTS_CLI_HARNESS_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace strongroom::testing {

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A fresh directory under the test's temporary root.
inline std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  std::string dir = std::string(base ? base : "/tmp") + "/strongroom-test-" +
                    std::to_string(::getpid()) + "-" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Every person the tests enrol gets this credential, read by the CLI from
// STRONGROOM_CREDENTIAL (the actor's, or the one a person enrolling sets)
// and STRONGROOM_NEW_CREDENTIAL (a changed one), exactly as a script would
// pass it.
inline constexpr const char* kTestCredential = "correct horse battery staple";

inline RunResult Strongroom(const std::vector<std::string>& args) {
  static int counter = 0;
  ::setenv("STRONGROOM_CREDENTIAL", kTestCredential, 0);
  ::setenv("STRONGROOM_NEW_CREDENTIAL", kTestCredential, 0);
  const std::string base = TempDir("run") + "/" + std::to_string(counter++);
  const std::string out_path = base + ".out", err_path = base + ".err";
  std::vector<char*> argv;
  std::string bin = STRONGROOM_BINARY;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  RunResult r;
  if (posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&fa);
  r.out = Slurp(out_path);
  r.err = Slurp(err_path);
  return r;
}

// Runs a `person add` (`add_args`, naming the new person with --id), then
// the new person's own enrolment with the code it printed, against the same
// store or server; the new person sets kTestCredential. The result of the
// enrolment (or of the add, if it failed).
// The people `adds` (each a `person add` command line) are added, then each
// sets their own credential with the code the add printed. (Added first,
// enrolled after: the founder sets the store up alone only until someone
// else who approves administration has enrolled.)
inline RunResult AddThenEnrol(const std::vector<std::vector<std::string>>& adds) {
  std::vector<std::pair<std::string, std::vector<std::string>>> codes;  // code, enrol command
  RunResult last;
  for (const auto& add_args : adds) {
    last = Strongroom(add_args);
    if (last.code != 0) return last;
    const std::string marker = "enrolment code for ";
    const size_t at = last.out.find(marker);
    if (at == std::string::npos) continue;
    const size_t colon = last.out.find(": ", at);
    const std::string person = last.out.substr(at + marker.size(), colon - at - marker.size());
    std::vector<std::string> enrol = {"person", "enrol", "--actor", person};
    for (size_t i = 0; i + 1 < add_args.size(); ++i) {
      const std::string& a = add_args[i];
      if (a == "--data" || a == "--server" || a == "--ca-file") {
        enrol.push_back(a);
        enrol.push_back(add_args[i + 1]);
      }
    }
    codes.emplace_back(last.out.substr(colon + 2, 32), std::move(enrol));
  }
  for (const auto& [code, enrol] : codes) {
    ::setenv("STRONGROOM_ENROLMENT_CODE", code.c_str(), 1);
    last = Strongroom(enrol);
    ::unsetenv("STRONGROOM_ENROLMENT_CODE");
    if (last.code != 0) {
      last.err = "enrolment of " + enrol[3] + ": " + last.err;
      return last;
    }
  }
  return last;
}

inline RunResult AddAndEnrol(const std::vector<std::string>& add_args) {
  return AddThenEnrol({add_args});
}

}  // namespace strongroom::testing

#endif  // STRONGROOM_TESTS_CLI_HARNESS_H_
