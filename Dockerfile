FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY coordination coordination
COPY projections projections
COPY web web
COPY migrations migrations
COPY workers workers
RUN pip install --no-cache-dir . && useradd --create-home katf
USER katf
EXPOSE 8000
CMD ["katf", "serve", "--host", "0.0.0.0", "--port", "8000"]
