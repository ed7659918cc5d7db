#include "notify/email.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "notify/sink.hpp"

namespace griha::notify {
namespace {

// Header values come from configuration and user input: a CR or LF would let a value add
// headers of its own (header injection), so they are dropped.
std::string header_safe(std::string v) {
  std::erase_if(v, [](char c) { return c == '\r' || c == '\n'; });
  return v;
}

// The bare address inside "Name <addr>", as SMTP's MAIL FROM wants it.
std::string address_of(const std::string& mailbox) {
  const auto lt = mailbox.find('<');
  const auto gt = mailbox.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt)
    return mailbox.substr(lt + 1, gt - lt - 1);
  return mailbox;
}

std::string rfc5322_date() {
  char buf[64];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

class LogEmailSender final : public EmailSender {
 public:
  explicit LogEmailSender(std::string sink_file) : sink_file_(std::move(sink_file)) {}

  Result<void> send(const Email& email) override {
    spdlog::info("email (log provider) to={} subject=\"{}\"\n{}", email.to, email.subject,
                 email.text);
    append_to_sink(
        sink_file_,
        {{"channel", "email"}, {"to", email.to}, {"subject", email.subject}, {"text", email.text}});
    return {};
  }

 private:
  std::string sink_file_;
};

struct Upload {
  std::string data;
  std::size_t pos = 0;
};

std::size_t read_upload(char* out, std::size_t size, std::size_t n, void* p) {
  auto* u = static_cast<Upload*>(p);
  const std::size_t len = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(out, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

class SmtpEmailSender final : public EmailSender {
 public:
  explicit SmtpEmailSender(EmailOptions options) : options_(std::move(options)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }

  Result<void> send(const Email& email) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Error::internal("curl_easy_init failed");
    std::string id = email.message_id;
    if (id.empty()) {
      unsigned char r[12];
      randombytes_buf(r, sizeof r);
      char hex[sizeof r * 2 + 1];
      sodium_bin2hex(hex, sizeof hex, r, sizeof r);
      id = hex;
    }
    Upload upload{
        format_message(email, options_.from, "<" + id + "@" + domain_of_from() + ">", rfc5322_date())};
    CURL* h = curl.get();
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + header_safe(email.to) + ">").c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(rcpt, curl_slist_free_all);
    curl_easy_setopt(h, CURLOPT_URL, options_.smtp_url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (options_.smtp_starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, CURLUSESSL_ALL);
    if (!options_.smtp_username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, options_.smtp_username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, options_.smtp_password.c_str());
    }
    const std::string from = "<" + address_of(options_.from) + ">";
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15'000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
      return Error::unavailable(std::string("smtp send failed: ") + curl_easy_strerror(rc));
    return {};
  }

 private:
  std::string domain_of_from() const {
    const std::string a = address_of(options_.from);
    const auto at = a.find('@');
    return at == std::string::npos ? "griha.local" : a.substr(at + 1);
  }
  EmailOptions options_;
};

}  // namespace

namespace {

// Bodies go out base64-encoded in lines of 76: no line can exceed SMTP's 998-octet limit,
// and no line can start with the dot that ends an SMTP message, whatever users typed.
std::string base64_lines(std::string_view data) {
  std::string b64(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

// RFC 2047: a header value with non-ASCII text (₹, Devanagari names) as an encoded word.
std::string encoded_header(const std::string& value) {
  const auto v = header_safe(value);
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return c < 0x80; })) return v;
  std::string b64(sodium_base64_encoded_len(v.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(v.data()),
                    v.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return "=?UTF-8?B?" + b64 + "?=";
}

std::string part(const std::string& content_type, std::string_view body,
                 const std::string& disposition = {}) {
  std::string p = "Content-Type: " + header_safe(content_type) + "\r\n";
  if (!disposition.empty()) p += "Content-Disposition: " + header_safe(disposition) + "\r\n";
  p += "Content-Transfer-Encoding: base64\r\n\r\n";
  return p + base64_lines(body);
}

std::string multipart(const std::string& subtype, const std::vector<std::string>& parts) {
  unsigned char r[12];
  randombytes_buf(r, sizeof r);
  char hex[sizeof r * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, r, sizeof r);
  const std::string boundary = std::string("griha-") + hex;
  std::string m = "Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n\r\n";
  for (const auto& p : parts) m += "--" + boundary + "\r\n" + p + "\r\n";
  return m + "--" + boundary + "--\r\n";
}

}  // namespace

std::string format_message(const Email& email, const std::string& from,
                           const std::string& message_id, const std::string& date) {
  std::string m;
  m += "Date: " + header_safe(date) + "\r\n";
  m += "From: " + header_safe(from) + "\r\n";
  m += "To: <" + header_safe(email.to) + ">\r\n";
  m += "Message-ID: " + header_safe(message_id) + "\r\n";
  m += "Subject: " + encoded_header(email.subject) + "\r\n";
  for (const auto& [name, value] : email.headers)
    m += header_safe(name) + ": " + header_safe(value) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  std::string body = part("text/plain; charset=utf-8", email.text);
  if (!email.html.empty())
    body = multipart("alternative", {body, part("text/html; charset=utf-8", email.html)});
  if (!email.attachments.empty()) {
    std::vector<std::string> parts{body};
    for (const auto& a : email.attachments) {
      std::string name = a.filename;
      std::erase_if(name, [](char c) { return c == '"' || c == '\\'; });
      parts.push_back(part(a.content_type, a.content, "attachment; filename=\"" + name + "\""));
    }
    body = multipart("mixed", parts);
  }
  return m + body;
}

std::unique_ptr<EmailSender> make_email_sender(const EmailOptions& options) {
  if (options.provider == "smtp") return std::make_unique<SmtpEmailSender>(options);
  return std::make_unique<LogEmailSender>(options.sink_file);
}

}  // namespace griha::notify
