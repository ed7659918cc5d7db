// The parts of the providers that need no server: message format and gateway body.
#include <gtest/gtest.h>

#include "notify/email.hpp"
#include "notify/sms.hpp"
#include "support/storage_support.hpp"

#include <fstream>
#include <sstream>

namespace griha::notify {
namespace {

TEST(Email, MessageIsCrlfWithSafeHeaders) {
  const auto m = format_message(
      {"priya@example.in", "Hello\r\nBcc: evil@example.in", "line one\n.\nline three"},
      "Griha <no-reply@griha.test>", "<id@griha.test>", "Tue, 24 Nov 2026 03:10:05 +0000");
  EXPECT_NE(m.find("Subject: HelloBcc: evil@example.in\r\n"), std::string::npos)
      << "CR/LF in a header value must not start a new header";
  EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
  // base64 of "line one\n.\nline three": a lone dot line cannot end the SMTP message early.
  EXPECT_NE(m.find("\r\n\r\nbGluZSBvbmUKLgpsaW5lIHRocmVl\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: <priya@example.in>\r\n"), std::string::npos);
}

TEST(Email, HtmlAndAttachmentsAreMimeParts) {
  Email e;
  e.to = "priya@example.in";
  e.subject = "Visit at ₹85 L flat";
  e.text = "plain";
  e.html = "<p>html</p>";
  e.attachments.push_back({"visit.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR"});
  e.headers.emplace_back("List-Unsubscribe", "<https://griha.test/u?t=1>\r\nBcc: x@y");
  const auto m = format_message(e, "Griha <no-reply@griha.test>", "<id@griha.test>", "date");
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << "non-ASCII subject is encoded";
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(m.find("Content-Disposition: attachment; filename=\"visit.ics\""), std::string::npos);
  EXPECT_NE(m.find("QkVHSU46VkNBTEVOREFS"), std::string::npos) << "the attachment, base64";
  EXPECT_NE(m.find("List-Unsubscribe: <https://griha.test/u?t=1>Bcc: x@y\r\n"), std::string::npos);
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
