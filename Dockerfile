# A minimal image of c4c: the static (musl) binary on an empty base.
#   docker build -t c4c .
#   docker run --rm -v "$PWD:/work" -w /work c4c build architecture -o docs/diagrams
FROM rust:1.88-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/c4c /c4c

FROM scratch
COPY --from=build /c4c /c4c
ENTRYPOINT ["/c4c"]
