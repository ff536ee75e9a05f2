# mcpaudit in a container: Debian 12, built in one stage and run in a smaller one as a
# user without privileges. Node.js, npm and Python 3 are in the image because `audit`
# installs and runs the servers it audits (in its sandbox) with them.
#
#   docker build -t mcpaudit .
#   docker run --rm -v "$PWD:/work:ro" mcpaudit scan /work
#
# The static stage (scan, audit --static-only) runs anywhere. The dynamic stage (trace,
# audit) makes its own user, PID and network namespaces, which Docker's default seccomp and
# AppArmor profiles refuse, and mounts a /proc, which Docker's masked /proc paths refuse:
# give it `--security-opt seccomp=unconfined --security-opt apparmor=unconfined
# --security-opt systempaths=unconfined` (README.md, "Container image").

# BASE: where Docker Hub cannot be reached, a Debian 12 root made by debootstrap serves
# (scripts/docker-smoke.sh --debootstrap-base; README.md, "Container image").
ARG BASE=debian:12-slim
FROM ${BASE} AS build
# EXTRA_CA: PEM certificates the build stage trusts besides Debian's, for a network whose
# HTTPS goes through an inspecting proxy (the grammars come from the npm registry over HTTPS).
ARG EXTRA_CA=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config ca-certificates \
      libcjson-dev libpsl-dev libidn2-dev libpcap-dev libseccomp-dev libarchive-dev nettle-dev zlib1g-dev \
      libbrotli-dev libssl-dev libnghttp2-dev libnftables-dev nodejs npm python3 \
 && rm -rf /var/lib/apt/lists/* \
 && if [ -n "$EXTRA_CA" ]; then printf '%s\n' "$EXTRA_CA" > /usr/local/share/ca-certificates/extra.crt \
      && update-ca-certificates; fi
WORKDIR /src
COPY . .
# The configure step downloads the pinned grammars from the registry (npm pack only as the
# fallback, no install scripts) and
# stops unless each matches its SHA-512 in grammars/grammars.lock; after the build, one
# sample per language must parse with the compiled-in grammars.
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPAUDIT_TESTS=OFF \
      -DMCPAUDIT_GRAMMAR_CACHE=/grammars \
 && cmake --build /build -j"$(nproc)" \
 && scripts/verify-grammars.sh /build/mcpaudit /src \
 && DESTDIR=/out cmake --install /build --prefix /usr/local

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcjson1 libpsl5 publicsuffix \
      libidn2-0 libpcap0.8 libseccomp2 libarchive13 libnettle8 zlib1g libbrotli1 libssl3 libnghttp2-14 \
      libnftables1 nftables \
      nodejs npm python3 python3-pip python3-venv git \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin mcpaudit
COPY --from=build /out/usr/local/ /usr/local/
USER mcpaudit
WORKDIR /work
RUN mcpaudit --version
ENTRYPOINT ["mcpaudit"]
CMD ["help"]
