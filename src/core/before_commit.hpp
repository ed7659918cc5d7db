// Work a caller adds to a service's transaction: the service runs it with its result just
// before it commits, so that the two commit together or not at all. The idempotency layer
// stores a POST's answer this way (app/idempotency.hpp).
#pragma once

#include <functional>

#include "core/error.hpp"

namespace griha::storage {
class Transaction;
}

namespace griha {

template <class T>
using BeforeCommit = std::function<Result<void>(storage::Transaction&, const T&)>;

}  // namespace griha
