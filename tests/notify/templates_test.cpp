// Message templates: every value inserted into HTML is escaped, text is left as typed, a
// missing value is an error rather than a hole.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/resources.hpp"
#include "notify/templates.hpp"

namespace griha::notify {
namespace {

TEST(Templates, HtmlEscapesEveryValueAndTextKeepsIt) {
  const boost::json::object values{{"name", "<script>alert(\"x\")</script> & 'co'"}};
  auto r = render_sources("Hi {{name}}", "Hello {{name}}", "<p>Hello {{name}}</p>", values);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->html,
            "<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>");
  EXPECT_EQ(r->text, "Hello <script>alert(\"x\")</script> & 'co'");
}

TEST(Templates, HtmlMayNotInsertUnescapedValues) {
  // {{{v}}} and {{&v}} are Mustache's unescaped forms: refused in HTML, fine in text.
  EXPECT_FALSE(render_sources("s", "t", "<p>{{{v}}}</p>", {{"v", "<b>"}}));
  EXPECT_FALSE(render_sources("s", "t", "<p>{{& v}}</p>", {{"v", "<b>"}}));
  EXPECT_FALSE(render_sources("s", "t", "<p>{{ &v}}</p>", {{"v", "<b>"}}));
  EXPECT_FALSE(render_sources("s", "t", "{{=<% %>=}}<p><%&v%></p>", {{"v", "<b>"}}));
  EXPECT_FALSE(render_sources("s", "t", "<p>{{> v}}</p>", {{"v", "{{{x}}}"}, {"x", "<b>"}}));
  EXPECT_TRUE(render_sources("s", "{{{v}}}", "<p>{{v}}</p>", {{"v", "<b>"}}));
}

TEST(Templates, ValuesAreNeverRenderedAsTemplates) {
  // A partial would render a (user-supplied) value as a template: refused in text too.
  EXPECT_FALSE(render_sources("s", "{{> v}}", "", {{"v", "{{x}}"}, {"x", "secret"}}));
}

TEST(Templates, SubjectLosesLineBreaks) {
  auto r = render_sources("New lead: {{name}}\n", "t", "", {{"name", "A\r\nBcc: x@y"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subject, "New lead: ABcc: x@y");
  EXPECT_TRUE(r->html.empty());
}

TEST(Templates, MissingValueIsAnError) {
  auto r = render_sources("s", "Hello {{nmae}}", "", {{"name", "Priya"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("nmae"), std::string::npos);
}

TEST(Templates, ListsRenderEachItemEscaped) {
  boost::json::object v{{"listings", boost::json::array{boost::json::object{{"title", "2 BHK <A>"}},
                                                        boost::json::object{{"title", "3 BHK"}}}}};
  auto r = render_sources("s", "{{#listings}}- {{title}}\n{{/listings}}",
                          "{{#listings}}<li>{{title}}</li>{{/listings}}", v);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->text, "- 2 BHK <A>\n- 3 BHK\n");
  EXPECT_EQ(r->html, "<li>2 BHK &lt;A&gt;</li><li>3 BHK</li>");
}

TEST(Templates, UnknownTemplateIsAnError) {
  EXPECT_FALSE(render("no_such_template", {}));
}

TEST(Templates, EveryShippedTemplateHasSubjectAndText) {
  int seen = 0;
  for (const auto& r : resources::all()) {
    if (!r.path.starts_with("templates/") || !r.path.ends_with(".subject")) continue;
    ++seen;
    const std::string base(r.path.substr(0, r.path.size() - std::string_view(".subject").size()));
    EXPECT_TRUE(resources::find(base + ".txt")) << base << " has no .txt";
  }
  EXPECT_GT(seen, 0);
}

}  // namespace
}  // namespace griha::notify
