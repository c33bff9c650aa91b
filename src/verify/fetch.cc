#include "verify/fetch.h"

#include <curl/curl.h>

#include "base/file.h"

namespace strongroom {
namespace {

class DirSource : public TreeSource {
 public:
  explicit DirSource(std::string dir) : dir_(std::move(dir)) {}
  Result<std::string> Fetch(const std::string& path) override {
    return ReadFile(dir_ + "/" + path);
  }

 private:
  std::string dir_;
};

size_t Append(char* p, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(p, size * n);
  return size * n;
}

// One request on `curl` (reused between calls: keep-alive).
Result<HttpReply> Perform(CURL* curl, const std::string& method, const std::string& url,
                          const std::string& body, const HttpOptions& options) {
  if (!curl) return Internal("cannot initialise libcurl");
  HttpReply reply;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_slist* headers = nullptr;
  if (!options.bearer_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options.bearer_token).c_str());
  }
  if (method == "POST") {
    headers = curl_slist_append(headers, body.rfind('{', 0) == 0
                                             ? "Content-Type: application/json"
                                             : "Content-Type: text/plain; charset=utf-8");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) return Unavailable("cannot reach " + url + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

class HttpSource : public TreeSource {
 public:
  HttpSource(std::string base, HttpOptions options)
      : base_(std::move(base)), options_(std::move(options)) {
    if (base_.back() != '/') base_ += '/';
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl_ = curl_easy_init();
  }
  ~HttpSource() override { curl_easy_cleanup(curl_); }

  Result<std::string> Fetch(const std::string& path) override {
    const std::string url = base_ + path;
    SR_ASSIGN_OR_RETURN(HttpReply reply, Perform(curl_, "GET", url, "", options_));
    if (reply.status == 404) return NotFound("no " + url + " (HTTP 404)");
    if (reply.status != 200) {
      return Unavailable("fetching " + url + ": HTTP " + std::to_string(reply.status) +
                         (reply.body.empty() ? "" : ": " + reply.body));
    }
    return std::move(reply.body);
  }

 private:
  std::string base_;
  HttpOptions options_;
  CURL* curl_;
};

}  // namespace

Result<HttpReply> HttpCall(const std::string& method, const std::string& url,
                           const std::string& body, const HttpOptions& options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  return Perform(curl.get(), method, url, body, options);
}

Result<std::unique_ptr<TreeSource>> OpenTreeSource(const std::string& location,
                                                   HttpOptions options) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) {
    return std::unique_ptr<TreeSource>(new HttpSource(location, std::move(options)));
  }
  if (!PathExists(location)) return NotFound("no directory " + location);
  return std::unique_ptr<TreeSource>(new DirSource(location));
}

}  // namespace strongroom
