# leakd container image: the same CMake build as scripts/demo.sh, on Debian 12.
# Not built on the development machines (no container engine there); the Helm
# chart in deploy/helm/leakd runs it non-root with a read-only root filesystem.
#
#   docker build -t leakd:0.1.0 .
#   docker run --rm leakd:0.1.0 serve --check-config --set rules=/usr/share/leakd/patterns

FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libhyperscan-dev libre2-dev librdkafka-dev libsimdjson-dev libyaml-cpp-dev \
      libcli11-dev libsodium-dev zlib1g-dev libboost-dev libboost-system-dev \
      prometheus-cpp-dev nlohmann-json3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY daemon daemon
COPY patterns patterns
COPY tests tests
COPY bench bench
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DLEAKD_BUILD_BENCH=OFF \
 && cmake --build build --target leakd \
 && ./build/daemon/leakd rules check --rules patterns

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libhyperscan5 libre2-9 librdkafka1 librdkafka++1 libyaml-cpp0.7 libsimdjson14 \
      libsodium23 libprometheus-cpp-core1.0 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 65532 leakd \
 && useradd --system --uid 65532 --gid leakd --no-create-home --shell /usr/sbin/nologin leakd \
 && mkdir -p /var/cache/leakd && chown leakd:leakd /var/cache/leakd
COPY --from=build /src/build/daemon/leakd /usr/bin/leakd
COPY --from=build /src/patterns /usr/share/leakd/patterns
ENV LEAKD_RULES=/usr/share/leakd/patterns LEAKD_CACHE_DIR=/var/cache/leakd
USER 65532:65532
EXPOSE 9464
ENTRYPOINT ["/usr/bin/leakd"]
CMD ["serve"]
