; Outbound network calls in Python. See javascript/network.scm for the capture names.
; Keyword arguments are captured by name (url=, host=, base_url= ...).

((call function: (_) @callee arguments: (argument_list . (_) @dest.url)) @call.http
 (#resolves-to? @callee
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
   "urllib.request.urlopen" "urllib.request.Request" "urllib.request.urlretrieve" "urllib2.urlopen"
   "urllib.urlopen" "urllib3.request" "urllib3.PoolManager().request" "urllib3.PoolManager().urlopen"
   "websockets.connect" "websockets.client.connect" "websocket.create_connection" "websocket.WebSocketApp"
   "pycurl.Curl().setopt"))

((call function: (_) @callee arguments: (argument_list . (_) . (_) @dest.url)) @call.http
 (#resolves-to? @callee "requests.request" "requests.Session().request" "httpx.request" "httpx.Client().request"
   "httpx.AsyncClient().request" "aiohttp.ClientSession().request" "urllib3.PoolManager().request"
   "urllib3.PoolManager().urlopen"))

((call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @dest.url))) @call.http
 (#any-of? @_k "url")
 (#resolves-to? @callee "requests.*" "requests.Session().*" "httpx.*" "httpx.Client().*" "httpx.AsyncClient().*"
   "aiohttp.ClientSession().*" "aiohttp.request" "urllib.request.urlopen" "urllib.request.Request"))

; http.client connections and pools: host then port
((call function: (_) @callee arguments: (argument_list . (_) @dest.host)) @call.http
 (#resolves-to? @callee "http.client.HTTPConnection" "http.client.HTTPSConnection" "httplib.HTTPConnection"
   "httplib.HTTPSConnection" "urllib3.HTTPConnectionPool" "urllib3.HTTPSConnectionPool"
   "urllib3.connection_from_url"))
((call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @dest.host))) @call.http
 (#eq? @_k "host")
 (#resolves-to? @callee "http.client.HTTPConnection" "http.client.HTTPSConnection"))

; sockets: an (host, port) address
((call function: (_) @callee arguments: (argument_list . (_) @dest.address)) @call.socket
 (#resolves-to? @callee "socket.create_connection" "socket.socket().connect" "socket.socket().connect_ex"
   "ssl.SSLContext().wrap_socket().connect" "socket.socket().sendto"))
((call function: (_) @callee arguments: (argument_list . (_) @dest.host)) @call.socket
 (#resolves-to? @callee "asyncio.open_connection" "telnetlib.Telnet" "ftplib.FTP" "ftplib.FTP_TLS"
   "smtplib.SMTP" "smtplib.SMTP_SSL" "poplib.POP3" "poplib.POP3_SSL" "imaplib.IMAP4" "imaplib.IMAP4_SSL"
   "paramiko.SSHClient().connect"))
((call function: (_) @callee arguments: (argument_list . (_) . (_) @dest.address)) @call.udp
 (#resolves-to? @callee "socket.socket().sendto"))

; DNS
((call function: (_) @callee arguments: (argument_list . (_) @dest.host)) @call.dns
 (#resolves-to? @callee "socket.getaddrinfo" "socket.gethostbyname" "socket.gethostbyname_ex"
   "socket.gethostbyaddr" "dns.resolver.resolve" "dns.resolver.query" "dns.resolver.Resolver().resolve"
   "dns.resolver.Resolver().query" "aiodns.DNSResolver().query"))

; Child processes and shells
((call function: (_) @callee arguments: (argument_list . (_) @dest.command)) @call.subprocess
 (#resolves-to? @callee "subprocess.run" "subprocess.Popen" "subprocess.call" "subprocess.check_call"
   "subprocess.check_output" "subprocess.getoutput" "subprocess.getstatusoutput" "os.system" "os.popen"
   "asyncio.create_subprocess_shell" "commands.getoutput" "pty.spawn"))
((call function: (_) @callee arguments: (argument_list . (_) @dest.command)) @call.subprocess
 (#resolves-to? @callee "asyncio.create_subprocess_exec" "os.execv" "os.execvp" "os.spawnv" "os.spawnlp"))

; Databases: a URL/DSN or host=
((call function: (_) @callee arguments: (argument_list . (_) @dest.any)) @call.database
 (#resolves-to? @callee "psycopg2.connect" "psycopg.connect" "asyncpg.connect" "asyncpg.create_pool"
   "pymongo.MongoClient" "motor.motor_asyncio.AsyncIOMotorClient" "redis.Redis.from_url" "redis.from_url"
   "redis.asyncio.from_url" "sqlalchemy.create_engine" "sqlalchemy.ext.asyncio.create_async_engine"))
((call function: (_) @callee arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @dest.host))) @call.database
 (#any-of? @_k "host" "hostname")
 (#resolves-to? @callee "psycopg2.connect" "psycopg.connect" "asyncpg.connect" "pymysql.connect"
   "mysql.connector.connect" "redis.Redis" "redis.StrictRedis" "pymongo.MongoClient" "smtplib.SMTP"
   "smtplib.SMTP_SSL" "ftplib.FTP" "paramiko.SSHClient().connect"))
