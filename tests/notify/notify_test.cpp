// The parts of the providers that need no outside server: the email as libcurl sends it (to a
// minimal SMTP listener on loopback in this test) and the SMS gateway body.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <thread>

#include "core/crypto.hpp"
#include "notify/email.hpp"
#include "notify/sms.hpp"
#include "support/storage_support.hpp"

#include <fstream>
#include <sstream>

namespace griha::notify {
namespace {

// Accepts one SMTP session on a loopback port, answers every command with success, and keeps
// what came after DATA (the message) and the envelope.
class SmtpSink {
 public:
  SmtpSink() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 1) != 0)
      throw std::runtime_error("cannot listen on loopback");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpSink() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  // Valid once the sender returned.
  const std::string& message() {
    if (thread_.joinable()) thread_.join();
    return message_;
  }
  const std::string& envelope() {
    if (thread_.joinable()) thread_.join();
    return envelope_;
  }

 private:
  void serve() {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    auto say = [&](const std::string& s) { (void)!::write(fd, s.data(), s.size()); };
    std::string buf;
    auto line = [&]() -> std::optional<std::string> {
      for (;;) {
        if (auto nl = buf.find("\r\n"); nl != std::string::npos) {
          std::string l = buf.substr(0, nl);
          buf.erase(0, nl + 2);
          return l;
        }
        char chunk[4096];
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;
        buf.append(chunk, static_cast<std::size_t>(n));
      }
    };
    say("220 sink ESMTP\r\n");
    while (auto l = line()) {
      if (l->starts_with("EHLO") || l->starts_with("HELO")) {
        say("250 sink\r\n");
      } else if (l->starts_with("DATA")) {
        say("354 go on\r\n");
        while (auto d = line()) {
          if (*d == ".") break;
          message_ += *d + "\r\n";
        }
        say("250 queued\r\n");
      } else if (l->starts_with("QUIT")) {
        say("221 bye\r\n");
        break;
      } else {
        envelope_ += *l + "\n";
        say("250 ok\r\n");
      }
    }
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string message_, envelope_;
};

std::string send_through_sink(const Email& e) {
  SmtpSink sink;
  EmailOptions o;
  o.provider = "smtp";
  o.smtp_url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  o.from = "Griha <no-reply@griha.test>";
  auto sender = make_email_sender(o);
  const auto sent = sender->send(e);
  EXPECT_TRUE(sent) << (sent ? "" : sent.error().detail);
  EXPECT_NE(sink.envelope().find("RCPT TO:<" + e.to + ">"), std::string::npos) << sink.envelope();
  return sink.message();
}

TEST(Email, HeadersCannotBeInjected) {
  Email e{"priya@example.in", "Hello\r\nBcc: evil@example.in", "text"};
  e.headers.emplace_back("List-Unsubscribe", "<https://griha.test/u?t=1>\r\nBcc: x@y");
  const auto h = message_headers(e, "Griha <no-reply@griha.test>", "<id@griha.test>",
                                 "Tue, 24 Nov 2026 03:10:05 +0000");
  const std::vector<std::string> want = {"Date: Tue, 24 Nov 2026 03:10:05 +0000",
                                         "From: Griha <no-reply@griha.test>",
                                         "To: <priya@example.in>",
                                         "Message-ID: <id@griha.test>",
                                         "Subject: HelloBcc: evil@example.in",
                                         "List-Unsubscribe: <https://griha.test/u?t=1>Bcc: x@y"};
  EXPECT_EQ(h, want) << "CR/LF in a header value must not start a new header";
}

// The text of RFC 2047 encoded words, decoded and joined, as a mail reader shows them.
std::string decode_words(const std::string& header) {
  std::string out;
  for (std::size_t at = header.find("=?UTF-8?B?"); at != std::string::npos;
       at = header.find("=?UTF-8?B?", at + 1)) {
    const auto end = header.find("?=", at + 10);
    std::string b64 = header.substr(at + 10, end - at - 10);
    // Standard base64 to base64url without padding, which core decodes.
    for (auto& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    std::erase(b64, '=');
    out += base64url_decode(b64).value();
  }
  return out;
}

TEST(Email, LongNonAsciiSubjectsAreSplitIntoWordsOnCharacterBoundaries) {
  EXPECT_EQ(encoded_header("Plain ASCII stays as it is"), "Plain ASCII stays as it is");
  // 3-byte characters (Devanagari) and a 3-byte ₹, far past one word's 75 characters.
  std::string subject = "Visit at ₹85 L: ";
  for (int i = 0; i < 12; ++i) subject += "पुणे बानेर ";
  const std::string h = encoded_header(subject);
  std::size_t words = 0;
  std::size_t start = 0;
  for (;;) {
    const auto end = h.find("\r\n ", start);
    const std::string word = h.substr(start, end == std::string::npos ? end : end - start);
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    EXPECT_LE(word.size(), 75u) << word;
    // Each word decodes on its own to whole characters (valid UTF-8 by itself).
    const std::string text = decode_words(word);
    EXPECT_NE((static_cast<unsigned char>(text.front()) & 0xC0), 0x80u) << word;
    ++words;
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_GT(words, 3u);
  EXPECT_EQ(decode_words(h), subject);
  EXPECT_NE(h.find("\r\n "), std::string::npos) << "folded onto continuation lines";
}

TEST(Email, PlainMessageGoesOutBase64ThroughCurlMime) {
  Email e{"priya@example.in", "Hello", "line one\n.\nline three"};
  e.message_id = "d-42";
  const auto m = send_through_sink(e);
  EXPECT_NE(m.find("Subject: Hello\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("Message-ID: <d-42@griha.test>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: <priya@example.in>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos) << m;
  // base64 of "line one\n.\nline three": a lone dot line cannot end the SMTP message early.
  EXPECT_NE(m.find("\r\nbGluZSBvbmUKLgpsaW5lIHRocmVl\r\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("line three"), std::string::npos) << "never in clear";
}

TEST(Email, HtmlAndAttachmentsAreMimeParts) {
  Email e;
  e.to = "priya@example.in";
  e.subject = "Visit at ₹85 L flat";
  e.text = "plain";
  e.html = "<p>html</p>";
  e.attachments.push_back({"visit.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR"});
  e.headers.emplace_back("List-Unsubscribe", "<https://griha.test/u?t=1>");
  const auto m = send_through_sink(e);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << "non-ASCII subject is encoded";
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary="), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: text/calendar; method=REQUEST"), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Disposition: attachment; filename=\"visit.ics\""), std::string::npos)
      << m;
  EXPECT_NE(m.find("QkVHSU46VkNBTEVOREFS"), std::string::npos) << "the attachment, base64";
  EXPECT_NE(m.find("PHA+aHRtbDwvcD4="), std::string::npos) << "the HTML, base64";
  EXPECT_NE(m.find("List-Unsubscribe: <https://griha.test/u?t=1>\r\n"), std::string::npos);
  // The alternative comes before the attachment, text before HTML.
  EXPECT_LT(m.find("text/plain"), m.find("text/html"));
  EXPECT_LT(m.find("text/html"), m.find("text/calendar"));
}

TEST(Email, AnUnreachableServerIsUnavailable) {
  EmailOptions o;
  o.provider = "smtp";
  o.smtp_url = "smtp://127.0.0.1:1";
  auto r = make_email_sender(o)->send({"a@example.in", "s", "t"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

TEST(Sms, BodyTemplateEscapesJson) {
  EXPECT_EQ(render_sms_body(R"({"to":"{{to}}","msg":"{{text}}","ref":"{{id}}"})", "+919876543210",
                            "code \"1\"\n", "d-1"),
            R"({"to":"+919876543210","msg":"code \"1\"\n","ref":"d-1"})");
}

// The log providers' sink (tests read messages from it): one JSON line per message, both
// channels in one file.
TEST(LogProviders, AppendEachMessageToTheSinkFile) {
  test::TempDir dir;
  const auto file = (dir.path() / "messages.jsonl").string();
  EmailOptions email;
  email.sink_file = file;
  SmsOptions sms;
  sms.sink_file = file;
  ASSERT_TRUE(make_email_sender(email)->send({"a@example.in", "Code: 123456", "body"}));
  ASSERT_TRUE(make_sms_sender(sms)->send("+919800000000", "654321 is your code", "d-1"));
  std::ifstream in(file);
  std::string first, second;
  ASSERT_TRUE(std::getline(in, first));
  ASSERT_TRUE(std::getline(in, second));
  EXPECT_EQ(first,
            R"({"channel":"email","to":"a@example.in","subject":"Code: 123456","text":"body"})");
  EXPECT_EQ(second, R"({"channel":"sms","to":"+919800000000","text":"654321 is your code"})");
}

}  // namespace
}  // namespace griha::notify
