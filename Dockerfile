# The image the deploy/ jobs run: carepath built in release mode on the official Swift 6.3 image
# (Debian bookworm), then copied into a slim Debian with only the runtime libraries it links:
# Graphviz (libgvc, with its layout plugins) and SQLite.
#
#   docker build -t carepath:0.1.0 .
#   docker run --rm -v "$PWD:/work" -w /work carepath:0.1.0 carepath sweep run /work/sweep --shard 0

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgraphviz-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names every target's folder, so the sources come with it.
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product carepath --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/carepath" /usr/local/bin/carepath

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgvc6 libcgraph6 libsqlite3-0 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/carepath /usr/local/bin/carepath
COPY Pathways /opt/carepath/Pathways
COPY Scenarios /opt/carepath/Scenarios
WORKDIR /work
CMD ["carepath", "--help"]
