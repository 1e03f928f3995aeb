# setupwright in a container: the binary (with the simulator's Lightning bundle built into
# it, so `demo` works too) and Debian's Chromium and ChromeDriver (the browser and driver
# it is tested with).
#
#   docker build -t setupwright .
#   docker run --rm setupwright demo --artifacts /tmp/demo
#   docker run --rm -v "$PWD:/work" -e SF_ACCESS_TOKEN -e SETUPWRIGHT_LOGIN_PASSWORD \
#     setupwright run runbooks/my-setup.yaml --instance-url https://acme.my.salesforce.com \
#     --artifacts artifacts
#
# The run folders are written under /work (the mounted folder); the container runs as an
# unprivileged user, so that folder must be writable by it (uid 1000), or pass --user.
# Chromium runs with --no-sandbox and --disable-dev-shm-usage (setupwright passes both),
# so no extra capabilities or shared-memory size are needed.

ARG DEBIAN_RELEASE=bookworm

# The simulator's Lightning pages (Salesforce's base components on LWC, and SLDS), built
# as scripts/build-lightning.sh builds them, from the versions package-lock.json pins.
FROM node:20-${DEBIAN_RELEASE}-slim AS lightning
WORKDIR /src/sim/lightning
COPY sim/lightning/package.json sim/lightning/package-lock.json sim/lightning/rollup.config.mjs ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY sim/lightning/src ./src
RUN npx --no-install rollup -c --silent \
 && cp node_modules/@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css dist/slds.css

FROM rust:1-slim-${DEBIAN_RELEASE} AS build
WORKDIR /src
COPY . .
# Built before the binary, so that sim/build.rs embeds it.
COPY --from=lightning /src/sim/lightning/dist sim/lightning/dist
RUN cargo build --release --locked --bin setupwright

FROM debian:${DEBIAN_RELEASE}-slim
# tini is the container's init: it passes SIGTERM from `docker stop` to setupwright (which
# then ends the run, writes its reports and exits 143) and reaps the browser's processes.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium chromium-driver ca-certificates fonts-liberation tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/setupwright /usr/local/bin/setupwright
RUN useradd --create-home --uid 1000 setupwright
USER setupwright
WORKDIR /work
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/setupwright"]
CMD ["--help"]
