"""What a remote SPARQL store does differently from SPARQL 1.1, kept apart from `RemoteStore`'s transport.

`dialect.Dialect` is the standard behaviour; `virtuoso.Virtuoso` overrides what OpenLink Virtuoso 7 does
differently. `auth.ChallengeAuth` answers a store's HTTP authentication challenge, Basic or Digest.
"""

from cwkg.remote.auth import ChallengeAuth
from cwkg.remote.dialect import DIALECTS, Dialect, dialect_named, dialect_of

__all__ = ["DIALECTS", "ChallengeAuth", "Dialect", "dialect_named", "dialect_of"]
