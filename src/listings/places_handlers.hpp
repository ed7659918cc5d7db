// GET /api/v1/places: place-name autocomplete over the gazetteer, for search boxes and the
// listing form.
#pragma once

#include "http/types.hpp"
#include "listings/gazetteer.hpp"

namespace griha::listings {

// ?q= (1-64 characters) &limit= (1-20, default 8) &city= (slug, name, alias or id).
// Answers from memory on the I/O thread: a lookup costs microseconds.
http::Handler places(const Gazetteer& gazetteer);

}  // namespace griha::listings
