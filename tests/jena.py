"""Apache Jena 4.5 from Debian (libapache-jena-java) as the tests run it: RIOT and tests/jena/JenaCheck.java.

Debian ships no `riot` or `shacl` scripts, only the jars in /usr/share/java, so the command classes are
run with `java -cp`. Two gaps of that packaging are filled here, from files already on the machine:
- jena-core.jar holds Xerces' datatype classes a second time under the package `xerces`, without the
  message files Xerces loads as it starts (every Jena command fails with "internal error" in
  XSSimpleTypeDecl): they are copied, from the same jar's shaded `org/apache/jena/ext/xerces`, into a
  folder put first on the class path;
- Jena's JSON-LD 1.1 reader (Titanium) needs a Jakarta JSON provider, which Debian does not package
  (libjsonp2-java is the API only): JSON-LD is read with Jena's JSON-LD 1.0 reader (jsonld-java).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

JAVA = shutil.which("java")
JARS = Path("/usr/share/java")
JENA = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-shacl",
    "jena-tdb2",
]
DEPENDENCIES = [
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jcl-over-slf4j",
    "jsonld-java",
    "protobuf",
    "slf4j-api",
    "slf4j-simple",  # Jena's warnings and errors to stderr
    "thrift",
    "titanium-json-ld",
]
CHECK = Path(__file__).parent / "jena" / "JenaCheck.java"


def missing() -> str | None:
    """What is missing to run Jena, or None."""
    if not JAVA:
        return "java is not installed (apt-get install default-jdk-headless)"
    absent = [name for name in JENA + DEPENDENCIES if not (JARS / f"{name}.jar").exists()]
    if absent:
        return (
            f"libapache-jena-java is not installed (apt-get install libapache-jena-java): no {absent[0]}.jar"
        )
    return None


def classpath(folder: Path) -> str:
    """The class path: the Xerces message files copied into `folder`, then Jena and what it needs."""
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        prefix = "org/apache/jena/ext/xerces/impl/"
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = folder / "xerces" / "impl" / name.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(folder), *(str(JARS / f"{name}.jar") for name in JENA + DEPENDENCIES)])


def run(cp: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A Java program on Jena's class path: a class name, or a .java file for the source launcher."""
    assert JAVA, missing()
    return subprocess.run(
        [JAVA, "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
