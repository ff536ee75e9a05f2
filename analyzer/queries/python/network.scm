; Outbound network calls in Python, and the other calls the analyzer follows (child
; processes, dynamic code, credential reads), one pattern per argument shape.
; See javascript/network.scm for #resolves-to?, the "category=C role=R" groups and roles;
; Python adds role "address", a (host, port) tuple.

; ---- the first positional argument says where (a keyword argument first is read by value) ----
((call function: (_) @callee arguments: (argument_list . (_) @dest)) @call
 (#resolves-to? @callee
   "category=http role=url"
   "requests.get" "requests.post" "requests.put" "requests.patch" "requests.delete" "requests.head"
   "requests.options" "requests.Session().get" "requests.Session().post" "requests.Session().put"
   "requests.Session().patch" "requests.Session().delete" "requests.Session().head"
   "requests.session().get" "requests.session().post" "requests.Request"
   "httpx.get" "httpx.post" "httpx.put" "httpx.patch" "httpx.delete" "httpx.head" "httpx.stream"
   "httpx.Client().get" "httpx.Client().post" "httpx.Client().put" "httpx.Client().patch"
   "httpx.Client().delete" "httpx.Client().head" "httpx.Client().stream"
   "httpx.AsyncClient().get" "httpx.AsyncClient().post" "httpx.AsyncClient().put"
   "httpx.AsyncClient().patch" "httpx.AsyncClient().delete" "httpx.AsyncClient().head" "httpx.AsyncClient().stream"
   "aiohttp.ClientSession().get" "aiohttp.ClientSession().post" "aiohttp.ClientSession().put"
   "aiohttp.ClientSession().patch" "aiohttp.ClientSession().delete" "aiohttp.ClientSession().head"
   "aiohttp.ClientSession().ws_connect" "aiohttp.request"
   "urllib2.urlopen"
   "urllib.urlopen" "urllib3.request" "websockets.connect" "websockets.client.connect"
   "websocket.create_connection" "websocket.WebSocketApp"
   "playwright.*.goto" "pyppeteer.*.goto" "selenium.webdriver.*().get"
   "category=http role=host"
   "httplib.HTTPConnection"
   "httplib.HTTPSConnection" "urllib3.HTTPConnectionPool" "urllib3.HTTPSConnectionPool"
   "urllib3.connection_from_url"
   "category=socket role=host"
   "paramiko.SSHClient().connect"
   "category=dns role=host"
   "dns.resolver.resolve" "dns.resolver.query" "dns.resolver.Resolver().resolve"
   "dns.resolver.Resolver().query" "aiodns.DNSResolver().query"
   "category=subprocess role=command"
   "subprocess.run" "subprocess.Popen" "subprocess.call" "subprocess.check_call"
   "subprocess.check_output" "subprocess.getoutput" "subprocess.getstatusoutput" "os.system" "os.popen"
   "asyncio.create_subprocess_shell" "asyncio.create_subprocess_exec" "commands.getoutput" "pty.spawn"
   "os.execv" "os.execvp" "os.spawnv" "os.spawnlp"
   "category=database role=any"
   "psycopg2.connect" "psycopg.connect" "asyncpg.connect" "asyncpg.create_pool"
   "pymongo.MongoClient" "motor.motor_asyncio.AsyncIOMotorClient" "redis.Redis.from_url" "redis.from_url"
   "redis.asyncio.from_url" "sqlalchemy.create_engine" "sqlalchemy.ext.asyncio.create_async_engine"
   "category=dyncode role=code"
   "exec" "eval" "compile" "builtins.exec" "builtins.eval"
   "category=dynimport role=module"
   "importlib.import_module" "__import__"
   "category=readfile role=path"
   "open" "io.open" "os.open" "codecs.open" "pathlib.Path" "os.listdir" "aiofiles.open"
   "category=envdump role=env"
   "json.dumps" "str" "repr" "pickle.dumps"))

; ---- modelled APIs: the overload is picked from the evaluated arguments (analyzer/models/) ----
((call function: (_) @callee arguments: (argument_list) @args) @call
 (#modelled? @callee "python"))

; ---- the second positional argument ----
((call function: (_) @callee arguments: (argument_list . (_) . (_) @dest)) @call
 (#resolves-to? @callee
   "category=http role=url"
   "requests.request" "requests.Session().request" "httpx.request" "httpx.Client().request"
   "httpx.AsyncClient().request" "aiohttp.ClientSession().request" "urllib3.PoolManager().request"
   "urllib3.PoolManager().urlopen"))

; ---- keyword arguments: url=, host= ----
((call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @dest))) @call
 (#eq? @_k "url")
 (#resolves-to? @callee "category=http role=url" "requests.*" "requests.Session().*" "httpx.*" "httpx.Client().*"
   "httpx.AsyncClient().*" "aiohttp.ClientSession().*" "aiohttp.request"))
((call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @dest))) @call
 (#any-of? @_k "host" "hostname")
 (#resolves-to? @callee
   "category=database role=host"
   "psycopg2.connect" "psycopg.connect" "asyncpg.connect" "pymysql.connect" "mysql.connector.connect"
   "redis.Redis" "redis.StrictRedis" "pymongo.MongoClient"
   "paramiko.SSHClient().connect"))

; ---- Path(...).read_text() and (Path.home() / ".ssh" / "id_rsa").read_bytes() ----
((call function: (attribute object: (_) @dest attribute: (identifier) @_m) @callee) @call.readfile
 (#any-of? @_m "read_text" "read_bytes" "open"))
