# syntax=docker/dockerfile:1
# The gateway's image: `docker build -t portal-gateway .`, then `docker run -p 8000:8000 portal-gateway`
# (with GATEWAY_* settings; see README "Deployment"). Three stages: GraphiQL's assets packed from
# the npm registry, the Python package built into a virtualenv, and a slim runtime as a non-root user.

FROM node:20-bookworm-slim AS graphiql
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
RUN make graphiql-assets dashboard-assets && test -f gateway/static/graphiql/graphiql.min.js \
 && test -f gateway/static/chartjs/chart.umd.min.js

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/gateway
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY fixtures ./fixtures
COPY --from=graphiql /src/gateway/static/graphiql ./gateway/static/graphiql
COPY --from=graphiql /src/gateway/static/chartjs ./gateway/static/chartjs
RUN /opt/gateway/bin/pip install . && /opt/gateway/bin/python -m compileall -q /opt/gateway

FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /srv/gateway --create-home gateway
COPY --from=build /opt/gateway /opt/gateway
ENV PATH=/opt/gateway/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000 \
    GATEWAY_OUTBOX_DIR=/srv/gateway/outbox \
    PROMETHEUS_MULTIPROC_DIR=/tmp/gateway-metrics
WORKDIR /srv/gateway
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gateway", "serve"]
