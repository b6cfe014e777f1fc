# Third-party conformance check: Python librouteros against the simulator.
# python3 -m venv /tmp/lr && /tmp/lr/bin/pip install librouteros
# cargo run -p routeros-api --features simulator --example routeros_sim -- --listen 127.0.0.1:18728 &
# /tmp/lr/bin/python tests/conformance/librouteros_check.py 18728          # plain login (7.18)
# (simulator with --version 6.42)  ... librouteros_check.py PORT legacy   # MD5 challenge login
import sys
from librouteros import connect
from librouteros.login import plain, token
from librouteros.query import Key
from librouteros.exceptions import TrapError, FatalError
port = int(sys.argv[1]); legacy = len(sys.argv) > 2
api = connect(host='127.0.0.1', port=port, username='admin', password='', login_method=token if legacy else plain, encoding='latin-1')
users = api.path('ip', 'hotspot', 'user')
new_id = users.add(name='lr-1', password='x', comment='café')
print('add ->', new_id)
try:
    users.add(name='lr-1', password='x')
except TrapError as e:
    print('dup trap ->', e)
name = Key('name')
print('select ->', list(users.select(name, Key('comment')).where(name == 'lr-1')))
print('identity ->', list(api.path('system', 'identity')))
users.update(**{'.id': new_id, 'comment': 'upd'})
users.remove(new_id)
print('after remove ->', [u['name'] for u in users])
print('empty ppp ->', list(api.path('ppp', 'secret')))
print('count ->', tuple(api('/ip/hotspot/user/print', **{'count-only': ''})))
try:
    tuple(api('/quit'))
except FatalError as e:
    print('quit fatal ->', e)
