// Driving strongroomd in tests: `strongroom serve` as a child process on a
// free port, and a real HTTP client (libcurl) that trusts only the data
// directory's certificate.
#ifndef STRONGROOM_TESTS_SERVER_HARNESS_H_
#define STRONGROOM_TESTS_SERVER_HARNESS_H_

#include <curl/curl.h>
#include <fcntl.h>

#include <algorithm>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli_harness.h"
#include "json/canonical.h"

namespace strongroom::testing {

struct Reply {
  long status = 0;
  std::string body;
  std::string headers;  // raw, lower-cased
  Json json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }
};

class Client {
 public:
  explicit Client(std::string ca) : ca_(std::move(ca)), curl_(curl_easy_init()) {}
  ~Client() { curl_easy_cleanup(curl_); }

  Reply Call(const std::string& method, const std::string& url, const std::string& body = "",
             const std::string& token = "", const std::string& header = "") {
    Reply r;
    curl_easy_reset(curl_);  // keeps the connection: keep-alive
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!header.empty()) headers = curl_slist_append(headers, header.c_str());
    if (!token.empty())
      headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &Append);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
    const CURLcode rc = curl_easy_perform(curl_);
    if (!tolerate_failures_) {
      EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc) << " for " << method << " " << url;
    }
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return r;  // status 0
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    for (char& c : r.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
  }

 private:
  static size_t Append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  std::string ca_;
  CURL* curl_;

 public:
  bool tolerate_failures_ = false;  // a server that may be killed mid-request
};

// `strongroom serve` as a child process, on a free port.
class Server {
 public:
  Server(const std::string& dir, std::vector<std::string> extra) {
    out_ = dir + ".serve.out";
    // (Stores of tests keep their log key in plaintext: ServerTest's
    // sealed-key case gives its own passphrase instead.)
    std::vector<std::string> args = {STRONGROOM_BINARY, "serve", "--data", dir, "--listen",
                                     "127.0.0.1:0"};
    if (std::find(extra.begin(), extra.end(), "--log-passphrase-env") == extra.end()) {
      args.push_back("--plaintext-log-key");
    }
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, (out_ + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    const std::string marker = "listening on ";
    for (int i = 0; i < 500 && url_.empty(); ++i) {
      std::string text = Slurp(out_);
      if (auto at = text.find(marker);
          at != std::string::npos && text.find('\n', at) != std::string::npos) {
        url_ = text.substr(at + marker.size(), text.find('\n', at) - at - marker.size());
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    EXPECT_FALSE(url_.empty()) << Slurp(out_) << Slurp(out_ + ".err");
  }
  ~Server() {
    if (pid_ > 0) Stop();
  }
  void Kill() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // SIGTERM; the exit status and what it printed.
  std::pair<int, std::string> Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), Slurp(out_)};
  }
  const std::string& url() const { return url_; }
  std::string log() const { return Slurp(out_ + ".err"); }

 private:
  std::string out_, url_;
  pid_t pid_ = -1;
};

}  // namespace strongroom::testing

#endif  // STRONGROOM_TESTS_SERVER_HARNESS_H_
