// Facet counts: per partition from postings or from the matching rows themselves, whichever
// is cheaper, each facet ignoring its own filter; then the result lists. Internal to search/.
#pragma once

#include "search/run.hpp"

namespace griha::search::detail {

void collect_facets(Run& run, const Segment& s, const Partition& p, Scratch& sc);
// The counts gathered by collect_facets, as the query asked for them.
std::vector<FacetResult> facet_results(const Run& run);

}  // namespace griha::search::detail
