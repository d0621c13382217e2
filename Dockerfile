# rolegraph's image: one static binary (CGO_ENABLED=0) on an empty base,
# run as a non-root user; nothing else in it, no shell. Healthchecks use
# the binary itself: rolegraph probe URL.
#
#   docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) -t rolegraph .
#
# VERSION and COMMIT are what `rolegraph version` prints. e2e/ops_test.go
# builds the runtime stage with podman from a binary it built itself.

ARG GO_VERSION=1.27.3

FROM docker.io/library/golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=devel
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/rolegraph ./cmd/rolegraph \
 && mkdir -p /out/etc/ssl/certs \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ca-certificates.crt

FROM scratch AS runtime
# CA roots for TLS to Postgres, Redis (rediss://) and a remote SpiceDB.
COPY --from=build /out/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/rolegraph /rolegraph
# nobody-like numeric user: no /etc/passwd needed.
USER 65532:65532
# In a container, listen on every interface: the main port and the admin
# port (/metrics, /debug/pprof/) the orchestrator probes.
ENV ROLEGRAPH_ADDR=0.0.0.0:8080 \
    ROLEGRAPH_ADMIN_ADDR=0.0.0.0:9090
EXPOSE 8080 9090
ENTRYPOINT ["/rolegraph"]
CMD ["serve"]
