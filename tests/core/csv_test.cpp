// The one CSV reader (quoting, line breaks, BOM, UTF-8, limits) and writer (RFC 4180 quoting,
// spreadsheet formulas kept as text).
#include "core/csv.hpp"

#include <gtest/gtest.h>

namespace griha::csv {
namespace {

std::vector<std::vector<std::string>> fields_of(std::string_view text, Limits limits = {}) {
  std::vector<std::vector<std::string>> out;
  for (auto& r : parse(text, limits).value()) out.push_back(r.fields);
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvParse, PlainRecordsWithLfCrLfOrCr) {
  const Rows want = {{"a", "b"}, {"1", "2"}};
  EXPECT_EQ(fields_of("a,b\n1,2\n"), want);
  EXPECT_EQ(fields_of("a,b\r\n1,2\r\n"), want);
  EXPECT_EQ(fields_of("a,b\r1,2"), want);
  EXPECT_EQ(fields_of("a,b\n1,2"), want);  // no line break at the end
}

TEST(CsvParse, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto rows = fields_of(
      "title,description\r\n\"Flat, Andheri\",\"He said \"\"wow\"\"\r\n"
      "second line\"\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "Flat, Andheri");
  // The embedded CRLF comes back as \n: a CR would break the listing's text rules.
  EXPECT_EQ(rows[1][1], "He said \"wow\"\nsecond line");
}

TEST(CsvParse, RecordsKnowTheLineTheyStartOn) {
  auto recs = parse("h1,h2\n\"multi\nline\",x\nnext,y\n").value();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 4u);
}

TEST(CsvParse, EmptyFieldsAndTrailingComma) {
  EXPECT_EQ(fields_of("a,,c,\n"), (Rows{{"a", "", "c", ""}}));
  EXPECT_EQ(fields_of("\"\",x\n"), (Rows{{"", "x"}}));
  EXPECT_TRUE(fields_of("").empty());
}

TEST(CsvParse, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(fields_of("\xEF\xBB\xBFtitle,bhk\n"), (Rows{{"title", "bhk"}}));
}

TEST(CsvParse, RaggedRecordsAreReadAsTheyAre) {
  EXPECT_EQ(fields_of("a,b,c\n1\n1,2,3,4\n"), (Rows{{"a", "b", "c"}, {"1"}, {"1", "2", "3", "4"}}));
}

TEST(CsvParse, AQuoteInsideAnUnquotedFieldIsACharacter) {
  EXPECT_EQ(fields_of("5'6\" wide,x\n"), (Rows{{"5'6\" wide", "x"}}));
}

TEST(CsvParse, MalformedQuotingIsRefusedWithItsLine) {
  auto open = parse("a,b\n1,\"never closed\n2,3\n");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code, "csv_unterminated_quote");
  EXPECT_NE(open.error().message.find("line 2"), std::string::npos);
  auto junk = parse("a,b\n\"x\"y,z\n");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, "csv_bad_quote");
}

TEST(CsvParse, TextThatIsNotUtf8IsRefused) {
  // "Café" as Windows-1252, what Excel's plain "CSV" writes.
  auto r = parse("title\nok\nCaf\xE9\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "csv_not_utf8");
  EXPECT_NE(r.error().message.find("Line 3"), std::string::npos);
  EXPECT_FALSE(parse("\xC0\xAF\n"));      // overlong '/'
  EXPECT_FALSE(parse("\xED\xA0\x80\n"));  // a UTF-16 surrogate
  EXPECT_TRUE(parse("₹ 1,00,000 in पुणे\n"));
}

TEST(CsvParse, LimitsStopTheRead) {
  Limits tight{3, 4, 8};
  EXPECT_TRUE(parse("a\nb\nc\n", tight));
  auto rows = parse("a\nb\nc\nd\n", tight);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, "csv_too_many_rows");
  EXPECT_EQ(rows.error().kind, ErrorKind::too_large);
  EXPECT_EQ(parse("1,2,3,4,5\n", tight).error().code, "csv_too_many_columns");
  EXPECT_TRUE(parse("12345678\n", tight));
  EXPECT_EQ(parse("123456789\n", tight).error().code, "csv_field_too_long");
  EXPECT_EQ(parse("\"123\n456789\"\n", tight).error().code, "csv_field_too_long");
}

TEST(CsvCell, QuotesOnlyWhenItMustAndRoundTrips) {
  EXPECT_EQ(cell("plain"), "plain");
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
  EXPECT_EQ(fields_of(cell("say \"hi\", bye") + "\n"), (Rows{{"say \"hi\", bye"}}));
}

TEST(CsvRow, CellsAreJoinedGuardedAndEndWithCrlf) {
  EXPECT_EQ(row({"1", "a,b", "=1+2", ""}), "1,\"a,b\",'=1+2,\r\n");
  EXPECT_EQ(fields_of(row({"x", "-y"})), (Rows{{"x", "'-y"}}));
}

TEST(CsvCell, FormulaCellsArePrefixedAndSpecialCellsQuoted) {
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(cell("=1+2"), "'=1+2");
  EXPECT_EQ(cell("+919812345678"), "'+919812345678");
  EXPECT_EQ(cell("-2"), "'-2");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("\tx"), "'\tx");
  EXPECT_EQ(cell("plain"), "plain");
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell(""), "");
}

}  // namespace
}  // namespace griha::csv
