#include "notify/email.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

#include "core/crypto.hpp"
#include "core/http_client.hpp"
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

std::string domain_of(const std::string& mailbox) {
  const std::string a = address_of(mailbox);
  const auto at = a.find('@');
  return at == std::string::npos ? "griha.local" : a.substr(at + 1);
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

using Mime = std::unique_ptr<curl_mime, decltype(&curl_mime_free)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// A leaf part. Bodies go out base64-encoded (libcurl folds the lines at 76): no line can
// exceed SMTP's 998-octet limit, and none can start with the dot that ends an SMTP message,
// whatever users typed.
void add_part(curl_mime* mime, const std::string& content_type, const std::string& body,
              const std::string& filename = {}) {
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_data(part, body.data(), body.size());
  curl_mime_type(part, header_safe(content_type).c_str());
  curl_mime_encoder(part, "base64");
  if (!filename.empty()) {
    std::string name = header_safe(filename);
    std::erase_if(name, [](char c) { return c == '"' || c == '\\'; });
    curl_mime_filename(part, name.c_str());
    Headers disposition(
        curl_slist_append(nullptr,
                          ("Content-Disposition: attachment; filename=\"" + name + "\"").c_str()),
        curl_slist_free_all);
    curl_mime_headers(part, disposition.release(), 1);
  }
}

class SmtpEmailSender final : public EmailSender {
 public:
  explicit SmtpEmailSender(EmailOptions options) : options_(std::move(options)) { ensure_curl(); }

  Result<void> send(const Email& email) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Error::internal("curl_easy_init failed");
    CURL* h = curl.get();
    std::string id = email.message_id;
    if (id.empty()) id = random_hex(12);
    Headers headers(nullptr, curl_slist_free_all);
    for (const auto& line : message_headers(
             email, options_.from, "<" + id + "@" + domain_of(options_.from) + ">", rfc5322_date()))
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    Mime mime = message_body(h, email);
    Headers rcpt(curl_slist_append(nullptr, ("<" + header_safe(email.to) + ">").c_str()),
                 curl_slist_free_all);
    curl_easy_setopt(h, CURLOPT_URL, options_.smtp_url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (options_.smtp_starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, CURLUSESSL_ALL);
    if (!options_.smtp_username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, options_.smtp_username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, options_.smtp_password.c_str());
    }
    const std::string from = "<" + address_of(options_.from) + ">";
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());  // the mail's own headers, for SMTP
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime.get());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15'000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
      return Error::unavailable(std::string("smtp send failed: ") + curl_easy_strerror(rc));
    return {};
  }

 private:
  EmailOptions options_;
};

}  // namespace

std::string encoded_header(const std::string& value) {
  const auto v = header_safe(value);
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return c < 0x80; })) return v;
  // An encoded word is at most 75 characters: "=?UTF-8?B?" and "?=" leave 63 for base64, so
  // 45 bytes of text. Words end on a character boundary (a multi-byte character split across
  // two words is undecodable) and are folded onto continuation lines.
  constexpr std::size_t k_max_bytes = 45;
  std::string out;
  std::size_t start = 0;
  while (start < v.size()) {
    std::size_t end = std::min(v.size(), start + k_max_bytes);
    while (end < v.size() && end > start &&
           (static_cast<unsigned char>(v[end]) & 0xC0) == 0x80)  // a continuation byte
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(std::string_view(v).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::vector<std::string> message_headers(const Email& email, const std::string& from,
                                         const std::string& message_id, const std::string& date) {
  std::vector<std::string> h = {
      "Date: " + header_safe(date),
      "From: " + header_safe(from),
      "To: <" + header_safe(email.to) + ">",
      "Message-ID: " + header_safe(message_id),
      "Subject: " + encoded_header(email.subject),
  };
  for (const auto& [name, value] : email.headers)
    h.push_back(header_safe(name) + ": " + header_safe(value));
  return h;
}

std::unique_ptr<curl_mime, void (*)(curl_mime*)> message_body(void* curl, const Email& email) {
  auto* h = static_cast<CURL*>(curl);
  Mime top(curl_mime_init(h), curl_mime_free);
  // The text, with its HTML alternative when there is one; then the attachments. libcurl
  // makes the top level multipart/mixed.
  if (email.html.empty()) {
    add_part(top.get(), "text/plain; charset=utf-8", email.text);
  } else {
    Mime alternative(curl_mime_init(h), curl_mime_free);
    add_part(alternative.get(), "text/plain; charset=utf-8", email.text);
    add_part(alternative.get(), "text/html; charset=utf-8", email.html);
    curl_mimepart* part = curl_mime_addpart(top.get());
    curl_mime_subparts(part, alternative.release());  // the part owns it now
    curl_mime_type(part, "multipart/alternative");
  }
  for (const auto& a : email.attachments)
    add_part(top.get(), a.content_type, a.content, a.filename);
  return {top.release(), curl_mime_free};
}

std::unique_ptr<EmailSender> make_email_sender(const EmailOptions& options) {
  if (options.provider == "smtp") return std::make_unique<SmtpEmailSender>(options);
  return std::make_unique<LogEmailSender>(options.sink_file);
}

}  // namespace griha::notify
