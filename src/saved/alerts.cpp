#include "saved/alerts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "notify/templates.hpp"
#include "saved/saved_search_service.hpp"
#include "search/index.hpp"
#include "search/listing_documents.hpp"

namespace griha::saved {
namespace {

namespace json = boost::json;

// "12345678" -> "1,23,45,678": the last three digits, then pairs.
std::string indian_grouping(std::int64_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() <= 3) return digits;
  std::string head = digits.substr(0, digits.size() - 3);
  const std::string tail = digits.substr(digits.size() - 3);
  std::string out;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (i > 0 && (head.size() - i) % 2 == 0) out += ',';
    out += head[i];
  }
  return out + "," + tail;
}

// 185 hundredths -> "1.85", 150 -> "1.5", 200 -> "2".
std::string hundredths(std::int64_t h) {
  std::string out = std::to_string(h / 100);
  const std::int64_t frac = h % 100;
  if (frac == 0) return out;
  std::string f = (frac < 10 ? "0" : "") + std::to_string(frac);
  if (f.back() == '0') f.pop_back();
  return out + "." + f;
}

std::string spaced(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string summary(const AlertListing& l) {
  std::string out;
  const bool homes = l.property_type != search::PropertyType::plot &&
                     l.property_type != search::PropertyType::office &&
                     l.property_type != search::PropertyType::shop &&
                     l.property_type != search::PropertyType::warehouse;
  if (homes)
    out = l.bhk == 0 ? "1 RK " : (l.bhk >= 5 ? "5+ BHK " : std::to_string(l.bhk) + " BHK ");
  out += spaced(search::names_of_property_type()[static_cast<int>(l.property_type)]);
  if (l.area_sqft > 0) out += " · " + indian_grouping(l.area_sqft) + " sq ft";
  return out;
}

AlertListing alert_listing(const search::PublishedListing& p) {
  const auto& d = p.document;
  return {d.id,  d.posted_at,   p.published_at,  d.title,   d.price,      d.area_sqft,
          d.bhk.value_or(0), d.transaction, d.property_type, d.city_id, d.locality_id};
}

}  // namespace

std::string format_price(std::int64_t rupees, bool monthly) {
  std::string out = "₹";
  if (rupees >= 1'00'00'000)
    out += hundredths(rupees / 1'00'000) + " Cr";
  else if (rupees >= 1'00'000)
    out += hundredths(rupees / 1'000) + " L";
  else
    out += indian_grouping(rupees);
  if (monthly) out += "/month";
  return out;
}

std::string unsubscribe_url(const std::string& public_url, const UnsubscribeTokens& tokens,
                            std::int64_t saved_search_id) {
  // The token is digits, '.', and base64url: safe in a query string as it is.
  return public_url + "/api/v1/saved-searches/unsubscribe?token=" + tokens.sign(saved_search_id);
}

Result<notify::Outgoing> alert_email(const SavedSearch& search, const std::string& to,
                                     std::span<const AlertListing> fresh,
                                     const listings::Gazetteer& gazetteer,
                                     const UnsubscribeTokens& tokens, const AlertOptions& options) {
  json::array items;
  for (std::size_t i = 0; i < fresh.size() && i < options.max_listed; ++i) {
    const auto& l = fresh[i];
    const auto* loc = gazetteer.locality(l.locality_id);
    const auto* city = gazetteer.city(l.city_id);
    std::string place = loc ? loc->name : "";
    if (city) place += (place.empty() ? "" : ", ") + city->name;
    const bool monthly =
        l.transaction == search::Transaction::rent || l.transaction == search::Transaction::lease;
    items.push_back({{"title", l.title},
                     {"price", format_price(l.price, monthly)},
                     {"summary", summary(l)},
                     {"place", place},
                     {"url", options.public_url + "/listings/" + std::to_string(l.id)}});
  }
  const std::size_t more =
      fresh.size() > options.max_listed ? fresh.size() - options.max_listed : 0;
  const std::string unsubscribe = unsubscribe_url(options.public_url, tokens, search.id);
  const json::object values{
      {"search_name", search.name},
      {"count_text", fresh.size() == 1 ? std::string("1 new listing")
                                       : std::to_string(fresh.size()) + " new listings"},
      {"listings", std::move(items)},
      {"more", more > 0},
      {"more_count", static_cast<std::int64_t>(more)},
      {"frequency_text", search.frequency == Frequency::instant  ? "as new listings appear"
                         : search.frequency == Frequency::weekly ? "once a week"
                                                                 : "once a day"},
      {"unsubscribe_url", unsubscribe}};
  auto rendered = notify::render("alert_listings", values);
  if (!rendered) return rendered.error();
  notify::Outgoing m;
  m.channel = notify::Channel::email;
  m.kind = "saved_search.alert";
  m.to = to;
  m.subject = std::move(rendered->subject);
  m.text = std::move(rendered->text);
  m.html = std::move(rendered->html);
  m.headers = {{"List-Unsubscribe", "<" + unsubscribe + ">"},
               {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  m.cancel_key = alert_cancel_key(search.id);
  return m;
}

struct AlertSweeper::Due {
  SavedSearch search;
  std::optional<search::Query> query;  // empty: the stored query no longer parses
  std::int64_t checked = 0;            // its watermark, unix seconds
  std::int64_t from = 0;               // window_start: earliest publish time considered
  std::vector<AlertListing> matches;
};

AlertSweeper::AlertSweeper(storage::Database& db, const listings::Gazetteer& gazetteer,
                           const UnsubscribeTokens& tokens, AlertOptions options, Clock clock,
                           std::function<void()> wake)
    : db_(db),
      gazetteer_(gazetteer),
      tokens_(tokens),
      options_(std::move(options)),
      clock_(std::move(clock)),
      wake_(std::move(wake)) {}

Result<int> AlertSweeper::sweep() {
  const std::int64_t now = clock_();
  const DueCutoffs cutoffs = due_cutoffs(now);
  int enqueued = 0;
  for (std::int64_t after_id = 0;;) {
    auto rows = repo::due_searches(db_, cutoffs, after_id, static_cast<int>(options_.batch));
    if (!rows) return rows.error();
    if (rows->empty()) break;
    after_id = rows->back().id;
    std::vector<Due> due;
    for (auto& s : *rows) {
      const auto checked = parse_iso_utc(s.checked_at);
      const auto since = parse_iso_utc(s.alerts_since);
      if (!checked || !since || !is_due(s.frequency, *checked, now)) continue;
      Due d{std::move(s), std::nullopt, *checked, window_start(*since, *checked), {}};
      if (auto q = parse_saved_query(d.search.query, now))
        d.query = std::move(*q);
      else
        // Valid when saved; the parser has since grown stricter. Nothing can match it, and
        // the watermark still moves so the search does not stay due forever.
        spdlog::warn("saved search {} has a query the search parser refuses: {}", d.search.id,
                     d.search.query);
      due.push_back(std::move(d));
    }
    if (auto r = match(due, now); !r) return r.error();
    for (auto& d : due) {
      auto sent = deliver(d, now);
      if (!sent) {
        // One search's failure (its user deleted meanwhile, a template bug) must not hold up
        // everyone else's alerts; it stays due and is tried again next sweep.
        spdlog::error("alert for saved search {} failed: {} {}", d.search.id, sent.error().code,
                      sent.error().detail);
        continue;
      }
      enqueued += *sent ? 1 : 0;
    }
    if (rows->size() < options_.batch) break;
  }
  if (enqueued > 0 && wake_) wake_();
  return enqueued;
}

Result<void> AlertSweeper::match(std::vector<Due>& due, std::int64_t now) {
  std::int64_t earliest = now;
  bool any = false;
  for (const auto& d : due)
    if (d.query) {
      earliest = std::min(earliest, d.from);
      any = true;
    }
  if (!any) return {};
  search::IndexOptions index_options;
  index_options.background_merge = false;
  // cursor_key stays empty: a random one, as nobody outside this sweep sees its cursors.

  std::string after_published = iso_utc(static_cast<std::time_t>(earliest));
  std::int64_t after_listing = 0;
  for (;;) {
    auto page = search::load_published_page(db_, gazetteer_, after_published, after_listing,
                                            options_.page);
    if (!page) return page.error();
    if (page->empty()) break;
    std::vector<search::Document> docs;
    std::unordered_map<std::int64_t, const search::PublishedListing*> by_id;
    docs.reserve(page->size());
    for (const auto& p : *page) {
      docs.push_back(p.document);
      by_id.emplace(p.document.id, &p);
    }
    // The index's own matching, on just these listings: a saved search means exactly what
    // the same search on /api/v1/search means.
    search::Index index(index_options);
    index.build(docs);
    const std::int64_t page_last = page->back().document.posted_at;
    for (auto& d : due) {
      if (!d.query || page_last < d.from) continue;
      search::Query q = *d.query;
      q.sort = search::Sort::newest;
      q.page_size = search::k_max_page_size;
      q.facets.clear();
      q.cursor.reset();
      for (;;) {
        auto r = index.search(q);
        if (!r) return r.error();
        for (const auto& hit : r->hits) {
          const auto* p = by_id.at(hit.id);
          if (p->document.posted_at >= d.from) d.matches.push_back(alert_listing(*p));
        }
        if (r->next_cursor.empty()) break;
        auto c = index.cursors().decode(r->next_cursor);
        if (!c) return c.error();
        q.cursor = *c;
      }
    }
    if (page->size() < options_.page) break;
    after_published = page->back().published_at;
    after_listing = page->back().document.id;
  }
  return {};
}

Result<bool> AlertSweeper::deliver(Due& d, std::int64_t now) {
  if (d.matches.empty() && d.search.frequency == Frequency::instant &&
      now - d.checked < k_idle_rewrite_seconds)
    return false;
  const std::string now_iso = iso_utc(static_cast<std::time_t>(now));
  auto tx = db_.begin();
  if (!tx) return tx.error();
  // Another node's sweep, an edit or an unsubscribe got here first: leave it to them.
  auto advanced = repo::advance(*tx, d.search.id, d.search.checked_at, now_iso);
  if (!advanced) return advanced.error();
  if (!*advanced) return false;
  auto alerted = repo::alerted(*tx, d.search.id);
  if (!alerted) return alerted.error();
  std::vector<AlertListing> fresh;
  for (auto& m : d.matches)
    if (!alerted->contains(m.id)) fresh.push_back(std::move(m));
  bool sent = false;
  if (!fresh.empty()) {
    std::sort(fresh.begin(), fresh.end(), [](const AlertListing& a, const AlertListing& b) {
      return a.posted_at != b.posted_at ? a.posted_at > b.posted_at : a.id > b.id;
    });
    // Remembered even when there is nobody to send to (no verified email yet), so that
    // verifying later does not release a flood of old listings.
    for (const auto& m : fresh)
      if (auto r = repo::add_alerted(*tx, d.search.id, m.id, m.published_at); !r) return r.error();
    auto to = repo::recipient(*tx, d.search.user_id);
    if (!to) return to.error();
    if (*to) {
      auto email = alert_email(d.search, (*to)->email, fresh, gazetteer_, tokens_, options_);
      if (!email) return email.error();
      if (auto r = notify::enqueue(*tx, *email, now_iso); !r) return r.error();
      if (auto r = repo::mark_sent(*tx, d.search.id, now_iso); !r) return r.error();
      sent = true;
    }
  }
  // What was published before the next window's start can never be a candidate again.
  if (auto r = repo::prune_alerted(*tx, d.search.id,
                                   iso_utc(static_cast<std::time_t>(now - k_lookback_seconds)));
      !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return sent;
}

}  // namespace griha::saved
