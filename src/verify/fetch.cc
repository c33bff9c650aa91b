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

class HttpSource : public TreeSource {
 public:
  explicit HttpSource(std::string base) : base_(std::move(base)) {
    if (base_.back() != '/') base_ += '/';
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl_ = curl_easy_init();
  }
  ~HttpSource() override { curl_easy_cleanup(curl_); }

  Result<std::string> Fetch(const std::string& path) override {
    if (!curl_) return Internal("cannot initialise libcurl");
    std::string url = base_ + path, body;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpSource::Write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) return Unavailable("cannot fetch " + url + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status == 404) return NotFound("no " + url + " (HTTP 404)");
    if (status != 200) return Unavailable("fetching " + url + ": HTTP " + std::to_string(status));
    return body;
  }

 private:
  static size_t Write(char* p, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(p, size * n);
    return size * n;
  }
  std::string base_;
  CURL* curl_;
};

}  // namespace

Result<std::unique_ptr<TreeSource>> OpenTreeSource(const std::string& location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) {
    return std::unique_ptr<TreeSource>(new HttpSource(location));
  }
  if (!PathExists(location)) return NotFound("no directory " + location);
  return std::unique_ptr<TreeSource>(new DirSource(location));
}

}  // namespace strongroom
