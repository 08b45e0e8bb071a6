"""Deployment files checked as data: they parse, and everything they name exists in the application.

No container engine or cluster is needed: commands are checked against the CLI, environment variables against
Settings, probes against the app's routes, and dashboard/alert queries against the metrics /metrics exports.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer.main
import yaml
from fastapi.routing import iter_route_contexts
from prometheus_client.parser import text_string_to_metric_families

from shortlist.cli import app as cli_app
from shortlist.config import Settings
from shortlist.main import create_app
from tests.conftest import Register

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S = DEPLOY / "k8s"


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def k8s_objects() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml_documents(path):
            yield path, doc


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return document


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, obj in k8s_objects():
        if obj["kind"] in {"Deployment", "Job"}:
            yield obj["metadata"]["name"], obj["spec"]["template"]["spec"]


def cli_commands() -> dict[str, Any]:
    commands: dict[str, Any] = typer.main.get_command(cli_app).commands  # type: ignore[attr-defined]
    return dict(commands)


def settings_env_names() -> set[str]:
    return {f"SHORTLIST_{name.upper()}" for name in Settings.model_fields}


# --- parsing -----------------------------------------------------------------------------------------------


def test_every_yaml_and_json_file_parses() -> None:
    yaml_files = sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])
    json_files = sorted(DEPLOY.rglob("*.json"))
    assert len(yaml_files) >= 15 and json_files
    for path in yaml_files:
        assert yaml_documents(path), f"{path} is empty"
    for path in json_files:
        json.loads(path.read_text())


def test_kustomization_lists_existing_files_and_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert all((K8S / name).is_file() for name in listed)
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == on_disk


# --- commands ----------------------------------------------------------------------------------------------


def _check_command(argv: list[str], where: str) -> None:
    commands = cli_commands()
    name, options = argv[0], [arg.split("=")[0] for arg in argv[1:] if arg.startswith("--")]
    assert name in commands, f"{where}: `shortlist {name}` is not a command"
    known = {opt for param in commands[name].params for opt in [*param.opts, *param.secondary_opts]}
    for option in options:
        assert option in known, f"{where}: `shortlist {name}` has no option {option}"


def test_every_container_command_exists_in_the_cli() -> None:
    checked = 0
    for name, service in compose()["services"].items():
        if str(service.get("image", "")).startswith("shortlist:"):
            _check_command(service["command"], f"compose service {name}")
            checked += 1
    for name, spec in pod_specs():
        for container in spec["containers"]:
            assert "command" not in container, f"{name}: the image's entrypoint is `shortlist`; use args"
            _check_command(container["args"], f"k8s {name}")
            checked += 1
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (.+)$", dockerfile, re.MULTILINE).group(1))  # type: ignore[union-attr]
    cmd = json.loads(re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert entrypoint == ["shortlist"]
    _check_command(cmd, "Dockerfile CMD")
    assert checked >= 8


def test_command_check_can_fail() -> None:
    with pytest.raises(AssertionError, match="not a command"):
        _check_command(["serv"], "example")
    with pytest.raises(AssertionError, match="no option"):
        _check_command(["serve", "--threads", "4"], "example")


def test_process_roles_are_all_deployed() -> None:
    services = compose()["services"]
    roles = {
        service["command"][0]
        for service in services.values()
        if "command" in service and "image" in service and str(service["image"]).startswith("shortlist:")
    }
    assert {"serve", "worker", "scheduler", "migrate"} <= roles
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["scheduler"]["deploy"]["replicas"] == 1
    assert {"gateway", "postgres", "redis", "rabbitmq", "prometheus", "grafana", "otel-collector"} <= set(
        services
    )
    k8s_roles = {spec["containers"][0]["args"][0] for _, spec in pod_specs()}
    assert {"serve", "worker", "scheduler", "migrate"} <= k8s_roles


# --- settings ----------------------------------------------------------------------------------------------


def _environment_names() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def add(where: str, names: Any) -> None:
        found.setdefault(where, set()).update(n for n in names if n.startswith("SHORTLIST_"))

    for name, service in compose()["services"].items():
        add(f"compose {name}", (service.get("environment") or {}).keys())
    for path, obj in k8s_objects():
        if obj["kind"] == "ConfigMap":
            add(path.name, obj["data"].keys())
        elif obj["kind"] == "Secret":
            add(path.name, obj["stringData"].keys())
    for name, spec in pod_specs():
        for container in spec["containers"]:
            add(f"k8s {name}", (item["name"] for item in container.get("env", [])))
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    add("Dockerfile", re.findall(r"\b(SHORTLIST_[A-Z0-9_]+)=", dockerfile))
    return found


def test_every_shortlist_variable_is_a_setting() -> None:
    allowed = settings_env_names()
    everywhere = _environment_names()
    assert sum(len(names) for names in everywhere.values()) > 30
    for where, names in everywhere.items():
        unknown = names - allowed
        assert not unknown, f"{where}: not settings: {sorted(unknown)}"


def test_kubernetes_config_and_secret_template_make_valid_production_settings() -> None:
    values: dict[str, str] = {}
    for _, obj in k8s_objects():
        if obj["kind"] == "ConfigMap":
            values.update(obj["data"])
        elif obj["kind"] == "Secret":
            values.update(obj["stringData"])
    fields = {key.removeprefix("SHORTLIST_").lower(): value for key, value in values.items()}
    settings = Settings.model_validate({k: v for k, v in fields.items() if k in Settings.model_fields})
    assert settings.environment.value == "production"
    assert settings.redis_url and settings.otel_exporter_otlp_endpoint
    assert settings.database_url.startswith("postgresql+asyncpg://")


# --- probes and routes -------------------------------------------------------------------------------------


def _app_paths(tmp_path: Path) -> set[str]:
    app = create_app(Settings(environment="test", data_dir=tmp_path, secret_key="x" * 40))
    return {context.path_format or "" for context in iter_route_contexts(app.routes)}


def test_probes_point_at_real_routes(tmp_path: Path) -> None:
    paths = _app_paths(tmp_path)
    probed: list[tuple[str, str]] = []
    for name, spec in pod_specs():
        for container in spec["containers"]:
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                http = container.get(probe, {}).get("httpGet")
                if http:
                    probed.append((f"k8s {name} {probe}", http["path"]))
    for name, service in compose()["services"].items():
        test = service.get("healthcheck", {}).get("test") or []
        probed += [
            (f"compose {name}", url)
            for url in re.findall(r"http://127\.0\.0\.1:8000(/[\w/]*)", " ".join(test))
        ]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    healthcheck = re.search(r"HEALTHCHECK[^\n]*\\\n\s*CMD (.+)", dockerfile)
    assert healthcheck, "the image has a HEALTHCHECK"
    probed += [
        ("Dockerfile", url) for url in re.findall(r"http://127\.0\.0\.1:8000(/[\w/]*)", healthcheck.group(1))
    ]
    assert {"/livez", "/readyz"} <= {path for _, path in probed}
    for where, path in probed:
        assert path in paths, f"{where} probes {path}, which the app does not serve"
    api = next(spec for name, spec in pod_specs() if name == "shortlist-api")["containers"][0]
    assert (
        api["livenessProbe"]["httpGet"]["path"] == "/livez"
    )  # never a dependency check: restarts fix nothing
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"


# --- metrics -----------------------------------------------------------------------------------------------


def _queries() -> list[tuple[str, str]]:
    queries: list[tuple[str, str]] = []
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "shortlist.json").read_text())
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        queries += [(f"panel {panel['title']}", target["expr"]) for target in panel["targets"]]
    for variable in dashboard["templating"]["list"]:
        queries.append((f"variable {variable['name']}", variable["definition"]))
    for group in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"]:
        queries += [(f"alert {rule['alert']}", rule["expr"]) for rule in group["rules"]]
    return queries


async def test_dashboard_and_alert_queries_name_exported_metrics(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    created = await client.post("/v1/resumes", json={"title": "m", "content": {}}, headers=headers)
    await client.get(f"/v1/resumes/{created.json()['id']}", headers=headers)
    await client.get("/no/such/route")
    text = (await client.get("/metrics")).text
    exported: set[str] = set()
    for family in text_string_to_metric_families(text):
        exported.add(family.name)
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"], "gauge": [""]}
        exported.update(family.name + suffix for suffix in suffixes.get(family.type, []))
        exported.update(sample.name for sample in family.samples)
    queries = _queries()
    assert len(queries) >= 14
    named = 0
    for where, query in queries:
        for metric in re.findall(r"\bshortlist_[a-z0-9_]+", query):
            named += 1
            assert metric in exported, f"{where}: {metric} is not exported"
    assert named >= 20
    # The dashboard covers what operators ask first: rate, errors, latency, queue depth.
    everything = " ".join(query for _, query in queries)
    for needle in (
        "shortlist_http_requests_total",
        'status=~"5..',
        "histogram_quantile(0.99",
        "shortlist_job_queue_depth",
    ):
        assert needle in everything


def test_dashboard_uses_the_provisioned_datasource() -> None:
    datasource = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yaml").read_text()
    )
    uid = datasource["datasources"][0]["uid"]
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "shortlist.json").read_text())
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == uid
        assert all(target["datasource"]["uid"] == uid for target in panel["targets"])


def test_prometheus_scrapes_the_services_and_loads_the_alerts() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert jobs["shortlist-api"]["dns_sd_configs"][0]["names"] == ["api"]
    assert jobs["shortlist-api"]["dns_sd_configs"][0]["port"] == 8000
    assert "/etc/prometheus/alerts.yml" in config["rule_files"]
    mounts = compose()["services"]["prometheus"]["volumes"]
    assert any(m.endswith(":/etc/prometheus/alerts.yml:ro") for m in mounts)


# --- images, gateway, kubernetes objects -------------------------------------------------------------------


def test_dockerfile_is_multi_stage_non_root_and_locked() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    assert "requirements.lock" in dockerfile
    assert re.search(r"pip install --requirement \S+\.lock", dockerfile)
    assert re.search(r"pip install --constraint \S+\.lock \.", dockerfile)
    assert "slim" in dockerfile
    ignore = (DEPLOY.parent / ".dockerignore").read_text().split()
    assert "*" in ignore and "!src/" in ignore and "!requirements.lock" in ignore


def test_gateway_terminates_tls_limits_bodies_and_rates_and_hides_metrics() -> None:
    conf = (DEPLOY / "nginx" / "nginx.conf").read_text()
    assert "listen 443 ssl" in conf and "ssl_certificate " in conf
    size = re.search(r"client_max_body_size (\d+)([km]?);", conf)
    assert size
    factor = {"": 1, "k": 1024, "m": 1024 * 1024}[size.group(2)]
    assert int(size.group(1)) * factor <= Settings.model_fields["max_body_bytes"].default
    assert "limit_req_zone" in conf and "limit_req zone=" in conf
    assert re.search(r"location = /metrics \{ return 404; \}", conf)
    mounted = [shlex.split(v)[0] for v in compose()["services"]["gateway"]["volumes"]]
    assert any("nginx.conf" in v for v in mounted)


def test_kubernetes_objects_are_consistent_and_hardened() -> None:
    objects = [obj for _, obj in k8s_objects()]
    deployments = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"}
    assert {"shortlist-api", "shortlist-worker", "shortlist-scheduler"} <= set(deployments)
    for name, deployment in deployments.items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items(), name
        spec = deployment["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for container in spec["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
    assert deployments["shortlist-scheduler"]["spec"]["replicas"] == 1
    assert deployments["shortlist-scheduler"]["spec"]["strategy"]["type"] == "Recreate"

    services = {o["metadata"]["name"]: o for o in objects if o["kind"] == "Service"}
    api_labels = deployments["shortlist-api"]["spec"]["template"]["metadata"]["labels"]
    assert services["shortlist-api"]["spec"]["selector"].items() <= api_labels.items()
    port_names = {
        p["name"] for p in deployments["shortlist-api"]["spec"]["template"]["spec"]["containers"][0]["ports"]
    }
    assert services["shortlist-api"]["spec"]["ports"][0]["targetPort"] in port_names

    for ingress in (o for o in objects if o["kind"] == "Ingress"):
        assert ingress["spec"]["tls"]
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] in services
                assert backend["port"]["name"] in {
                    p["name"] for p in services[backend["name"]]["spec"]["ports"]
                }

    for hpa in (o for o in objects if o["kind"] == "HorizontalPodAutoscaler"):
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
        assert hpa["spec"]["minReplicas"] >= 1 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        assert hpa["spec"]["scaleTargetRef"]["name"] != "shortlist-scheduler"
    budgets = [o for o in objects if o["kind"] == "PodDisruptionBudget"]
    assert budgets
    for pdb in budgets:
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert any(
            selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
            for d in deployments.values()
        )

    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    assert any(
        p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        for p in policies
    )
    for name, deployment in deployments.items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(
            _selects(p["spec"]["podSelector"], labels) for p in policies if p["spec"]["podSelector"]
        ), name


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        if expression["operator"] == "In" and labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def test_operations_guide_documents_every_setting() -> None:
    guide = (DEPLOY.parent / "docs" / "operations.md").read_text()
    table = set(re.findall(r"^\| `(SHORTLIST_[A-Z0-9_]+)` \|", guide, re.MULTILINE))
    assert settings_env_names() - table == set(), "settings missing from docs/operations.md"
    assert table - settings_env_names() == set(), "documented settings that do not exist"


def test_metrics_ports_are_loopback_unless_a_deployment_opens_them() -> None:
    """Workers' /metrics binds loopback by default; every deployed process that serves it says so."""
    every_interface = "0.0.0.0"  # noqa: S104 - what the deployments must set explicitly
    assert Settings.model_fields["metrics_bind_host"].default == "127.0.0.1"
    opened: list[str] = []
    for name, service in compose()["services"].items():
        if "--metrics-port" in (service.get("command") or []):
            assert (service.get("environment") or {}).get("SHORTLIST_METRICS_BIND_HOST") == every_interface, (
                name
            )
            opened.append(f"compose {name}")
    for name, spec in pod_specs():
        for container in spec["containers"]:
            if "--metrics-port" in container.get("args", []):
                env = {item["name"]: item.get("value") for item in container.get("env", [])}
                assert env.get("SHORTLIST_METRICS_BIND_HOST") == every_interface, name
                opened.append(f"k8s {name}")
    assert len(opened) >= 4, opened
