#include "notify/email.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <ctime>

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
  Result<void> send(const Email& email) override {
    spdlog::info("email (log provider) to={} subject=\"{}\"\n{}", email.to, email.subject,
                 email.text);
    return {};
  }
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
    unsigned char id[12];
    randombytes_buf(id, sizeof id);
    char hex[sizeof id * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    Upload upload{format_message(email, options_.from,
                                 std::string("<") + hex + "@" + domain_of_from() + ">",
                                 rfc5322_date())};
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

std::string format_message(const Email& email, const std::string& from,
                           const std::string& message_id, const std::string& date) {
  std::string m;
  m += "Date: " + header_safe(date) + "\r\n";
  m += "From: " + header_safe(from) + "\r\n";
  m += "To: <" + header_safe(email.to) + ">\r\n";
  m += "Message-ID: " + header_safe(message_id) + "\r\n";
  m += "Subject: " + header_safe(email.subject) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n\r\n";
  // SMTP bodies are CRLF lines, and a line that is a lone "." would end the message early.
  std::size_t pos = 0;
  while (pos < email.text.size()) {
    auto end = email.text.find('\n', pos);
    if (end == std::string::npos) end = email.text.size();
    std::string line = email.text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '.') line.insert(0, ".");
    m += line + "\r\n";
    pos = end + 1;
  }
  return m;
}

std::unique_ptr<EmailSender> make_email_sender(const EmailOptions& options) {
  if (options.provider == "smtp") return std::make_unique<SmtpEmailSender>(options);
  return std::make_unique<LogEmailSender>();
}

}  // namespace griha::notify
