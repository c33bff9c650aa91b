#include "cli/secrets.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

namespace strongroom {
namespace {

Result<std::string> ReadLine(int fd, const std::string& what) {
  std::string line;
  char c;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0) return InvalidArgument("cannot read the credential from " + what);
    if (n == 0 || c == '\n') break;
    line.push_back(c);
    if (line.size() > 4096) return InvalidArgument("the credential from " + what + " is too long");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

Result<std::string> ReadSecret(const SecretSource& source, const std::string& prompt) {
  if (source.value) return *source.value;
  if (source.fd >= 0) {
    SR_ASSIGN_OR_RETURN(std::string s,
                        ReadLine(source.fd, "file descriptor " + std::to_string(source.fd)));
    if (s.empty())
      return InvalidArgument("file descriptor " + std::to_string(source.fd) +
                             " gave no " + source.what);
    return s;
  }
  if (!source.env.empty()) {
    const char* v = std::getenv(source.env.c_str());
    if (!v || !*v) return InvalidArgument("environment variable " + source.env + " is not set");
    return std::string(v);
  }
  if (!source.default_env.empty()) {
    if (const char* v = std::getenv(source.default_env.c_str()); v && *v) return std::string(v);
  }
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return InvalidArgument("no " + source.what + ": give --" + source.what + "-fd or --" +
                           source.what + "-env, set " + source.default_env +
                           ", or run on a terminal");
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  termios old{};
  const bool is_term = ::tcgetattr(tty, &old) == 0;
  if (is_term) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  auto line = ReadLine(tty, "the terminal");
  if (is_term) ::tcsetattr(tty, TCSAFLUSH, &old);
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  return line;
}

}  // namespace strongroom
