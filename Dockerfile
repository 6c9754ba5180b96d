# cwkg's HTTP service, for running over a remote SPARQL store (see compose.yaml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cwkg cwkg
COPY server server
COPY ontology ontology
COPY shapes shapes
COPY queries queries
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["cwkg", "serve", "--host", "0.0.0.0", "--port", "8000"]
