#include "notify/sms.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "core/http_client.hpp"

namespace griha::notify {
namespace {

std::string json_escaped(const std::string& s) {
  std::string quoted = boost::json::serialize(boost::json::string(s));
  return quoted.substr(1, quoted.size() - 2);
}

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

class LogSmsSender final : public SmsSender {
 public:
  Result<void> send(const std::string& to, const std::string& text, const std::string&) override {
    spdlog::info("sms (log provider) to={} text=\"{}\"", to, text);
    return {};
  }
};

class HttpSmsSender final : public SmsSender {
 public:
  explicit HttpSmsSender(SmsOptions options) : options_(std::move(options)) {}

  Result<void> send(const std::string& to, const std::string& text,
                    const std::string& delivery_id) override {
    HttpCall call;
    call.method = "POST";
    call.url = options_.http_url;
    call.body = render_sms_body(options_.http_body_template, to, text, delivery_id);
    call.headers.emplace_back("Content-Type", options_.http_content_type);
    // Gateways that deduplicate (most take a client reference) see the same id on a resend.
    if (!delivery_id.empty()) call.headers.emplace_back("Idempotency-Key", delivery_id);
    if (!options_.http_authorization.empty())
      call.headers.emplace_back("Authorization", options_.http_authorization);
    auto res = http_call(call);
    if (!res) return res.error();
    if (res->status < 200 || res->status >= 300)
      return Error::unavailable("sms gateway answered " + std::to_string(res->status));
    return {};
  }

 private:
  SmsOptions options_;
};

}  // namespace

std::string render_sms_body(const std::string& templ, const std::string& to,
                            const std::string& text, const std::string& delivery_id) {
  std::string body = templ;
  replace_all(body, "{{to}}", json_escaped(to));
  replace_all(body, "{{text}}", json_escaped(text));
  replace_all(body, "{{id}}", json_escaped(delivery_id));
  return body;
}

std::unique_ptr<SmsSender> make_sms_sender(const SmsOptions& options) {
  if (options.provider == "http") return std::make_unique<HttpSmsSender>(options);
  return std::make_unique<LogSmsSender>();
}

}  // namespace griha::notify
