# The two commands of the README, and the steps they are made of.
BUILD_DIR ?= build/release
JOBS ?= $(shell nproc)

.PHONY: run test deps deps-run build build-debug bench clean

run: deps-run
	cmake --preset release
	cmake --build --preset release --target griha -j $(JOBS)
	$(BUILD_DIR)/griha serve

test: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	scripts/with-postgres.sh scripts/run-tests.sh $(BUILD_DIR)

deps:
	scripts/install-deps.sh test

deps-run:
	scripts/install-deps.sh run

build:
	cmake --preset release && cmake --build --preset release -j $(JOBS)

build-debug:
	cmake --preset debug && cmake --build --preset debug -j $(JOBS)

bench: deps build
	bench/healthz_vs_nginx.sh $(BUILD_DIR)/griha
	bench/listings_seed.sh $(BUILD_DIR)/griha
	bench/listings_write.sh $(BUILD_DIR)/griha
	bench/auth_signin_load.sh $(BUILD_DIR)/griha
	bench/inquiries.sh $(BUILD_DIR)/griha
	bench/bookings.sh $(BUILD_DIR)/griha
	bench/search_index.sh
	bench/search_vs_postgres.sh $(BUILD_DIR)/griha

clean:
	rm -rf build
