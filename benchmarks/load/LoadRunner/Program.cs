using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

// The HTTP side of benchmarks/load/run.sh: every figure it prints is one "key value" line that run.sh collects.
// Usage: LoadRunner <base-url>[,<base-url>...] <root-password> <seconds per phase>
// With several base URLs (several nodes), the connections are spread over them in turn.
var baseUrls = (args.Length > 0 ? args[0] : "http://127.0.0.1:5098").Split(',').Select(u => new Uri(u)).ToArray();
if (baseUrls.Any(u => !u.IsLoopback)) throw new ArgumentException("The load benchmark runs against loopback only.");
var baseUrl = baseUrls[0];
var rootPassword = args.Length > 1 ? args[1] : throw new ArgumentException("the root password is required");
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;

var admin = Client(4);
var token = await SignInAsync(admin, "root", rootPassword);
admin.DefaultRequestHeaders.Authorization = new("Bearer", token);

// Accounts that exist: half of the recovery requests and the "known" sign-ins use them.
const string password = "Bench-Lantern-Orchard-88";
var known = new List<string>();
for (var i = 0; i < 32; i++)
{
    var name = $"bench{i:D2}{Guid.NewGuid().ToString("N")[..6]}";
    var created = await admin.PostAsJsonAsync("/api/accounts", new { username = name, email = $"{name}@example.test", roles = new[] { "user" }, password });
    if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"creating {name}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    known.Add(name);
}

// Warm-up, on every node: the first answers of each endpoint (compiled on first use) are not measured.
foreach (var node in baseUrls)
{
    using var warm = Client(4, node);
    for (var i = 0; i < 20; i++)
    {
        await warm.PostAsJsonAsync("/api/auth/login", new { login = known[i % known.Count], password });
        await warm.PostAsJsonAsync("/api/recovery/requests", new { login = $"nobody-{Guid.NewGuid():N}", channel = "email-link" });
    }
}

// LOAD_PHASES picks phases (e.g. "recovery" while profiling); all of them by default, in this order.
var phases = (Environment.GetEnvironmentVariable("LOAD_PHASES") ?? "signin,burst,timing,recovery").Split(',');
if (phases.Contains("signin") || phases.Contains("signin16"))
    Report("signin_16", await RunAsync(16, seconds, (c, n) => c.PostAsJsonAsync("/api/auth/login", new { login = known[n % known.Count], password })));
if (phases.Contains("signin"))
    Report("signin_64", await RunAsync(64, seconds, (c, n) => c.PostAsJsonAsync("/api/auth/login", new { login = known[n % known.Count], password })));

if (phases.Contains("burst")) await BurstAsync(200);
// Before the recovery load, so that no background work of it runs during the timing.
if (phases.Contains("timing")) await TimingAsync();
if (phases.Contains("recovery"))
    Report("recovery_16", await RunAsync(16, seconds, (c, n) => c.PostAsJsonAsync("/api/recovery/requests",
        new { login = n % 2 == 0 ? known[n / 2 % known.Count] : $"nobody-{n}-{Guid.NewGuid():N}"[..24], channel = "email-link" })));

return 0;

HttpClient Client(int connections, Uri? at = null) => new(new SocketsHttpHandler
{
    MaxConnectionsPerServer = connections,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    UseCookies = false,
})
{ BaseAddress = at ?? baseUrl, Timeout = TimeSpan.FromSeconds(30) };

static async Task<string> SignInAsync(HttpClient client, string login, string secret)
{
    var answer = await client.PostAsJsonAsync("/api/auth/login", new { login, password = secret });
    answer.EnsureSuccessStatusCode();
    return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
}

// LOAD_WARMUP_SECONDS runs the same load first, unmeasured, so that every node has compiled its hot code (each process
// compiles its own); LOAD_DRAINED_COMMAND, a shell command that prints 0 when no background work is left, is waited
// for before the measured load and after it, so that the "through drained" figures count the background work of the
// measured requests and only that. LOAD_IDLE_SECONDS then measures the nodes' CPU while they get no requests (their
// polling and timers), so that the cost of a request can be told from the cost of keeping a node up: "net of idle" is
// the nodes' CPU through drained less that idle rate over the same time, per answered request. The nodes first rest as
// long, unmeasured: right after a load each compiles the methods it called most (tiered compilation waits for a pause
// in new calls), a cost of warming up and not of idling.
async Task<Result> RunAsync(int connections, int duration, Func<HttpClient, int, Task<HttpResponseMessage>> send)
{
    var clients = baseUrls.Select(u => Client(connections, u)).ToArray();
    if (int.TryParse(Environment.GetEnvironmentVariable("LOAD_WARMUP_SECONDS"), out var warmup) && warmup > 0)
        await LoadAsync(clients, connections, warmup, send);
    await DrainedAsync();
    var idleMsPerSecond = double.NaN;
    if (int.TryParse(Environment.GetEnvironmentVariable("LOAD_IDLE_SECONDS"), out var idle) && idle > 0)
    {
        await Task.Delay(TimeSpan.FromSeconds(idle));
        var (idle0, _) = CpuTicks();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idle));
        idleMsPerSecond = (CpuTicks().Nodes - idle0) * 10.0 / idleClock.Elapsed.TotalSeconds;
    }

    var (nodes0, machine0) = CpuTicks();
    var threads0 = ThreadTicks();
    var counters0 = await CountersAsync();
    var throughDrained = Stopwatch.StartNew();
    var (statuses, latencies, elapsed) = await LoadAsync(clients, connections, duration, send);
    var loadEnd = DateTimeOffset.UtcNow;
    var drainedAfter = await DrainedAsync() ? (DateTimeOffset.UtcNow - loadEnd).TotalSeconds : double.NaN;
    var measuredSeconds = throughDrained.Elapsed.TotalSeconds;
    var (nodes2, machine2) = CpuTicks();
    var threads2 = ThreadTicks();
    var counters2 = await CountersAsync();
    foreach (var c in clients) c.Dispose();
    var all = latencies.Order().ToArray();
    var answered = statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
    // Per answered request: CPU of the nodes named in LOAD_CPU_PIDS and of the whole machine (ticks of 10 ms), counters.
    double PerAnswer(double total) => answered == 0 ? double.NaN : total / answered;
    return new Result(all.Length / elapsed, answered / elapsed, Percentile(all, 0.5), Percentile(all, 0.99), statuses,
        drainedAfter, PerAnswer((nodes2 - nodes0) * 10.0), PerAnswer((machine2 - machine0) * 10.0), idleMsPerSecond,
        PerAnswer((nodes2 - nodes0) * 10.0 - idleMsPerSecond * measuredSeconds),
        threads2.ToDictionary(t => t.Key, t => PerAnswer((t.Value - threads0.GetValueOrDefault(t.Key)) * 10.0)),
        counters2.ToDictionary(c => c.Key, c => PerAnswer(c.Value - counters0.GetValueOrDefault(c.Key))));
}

// LOAD_COUNTERS_COMMAND, a shell command that prints "name value" lines (the database's commits, rows written, ...),
// is read at the start of the measured load and when it is drained; the differences are reported per answered request.
static async Task<Dictionary<string, double>> CountersAsync()
{
    var counters = new Dictionary<string, double>();
    if (Environment.GetEnvironmentVariable("LOAD_COUNTERS_COMMAND") is not { Length: > 0 } command) return counters;
    foreach (var line in (await ShellAsync(command)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
    {
        var parts = line.Split(' ', '|', '\t');
        if (parts.Length == 2 && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var value)) counters[parts[0]] = value;
    }

    return counters;
}

// Runs a shell command and returns what it printed.
static async Task<string> ShellAsync(string command)
{
    using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true })!;
    var output = await shell.StandardOutput.ReadToEndAsync();
    await shell.WaitForExitAsync();
    return output;
}

// LOAD_RATE (requests per second in all) paces the load: request n starts n / rate seconds in, on the next free
// connection, so that every configuration serves the same requests at the same rate, while the connections keep up.
// Without it each connection sends its next request as soon as the last is answered.
static async Task<(Dictionary<int, int> Statuses, List<double> Latencies, double Elapsed)> LoadAsync(
    HttpClient[] clients, int connections, int duration, Func<HttpClient, int, Task<HttpResponseMessage>> send)
{
    var rate = double.TryParse(Environment.GetEnvironmentVariable("LOAD_RATE"), System.Globalization.CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 0;
    var latencies = new List<double>[connections];
    var statuses = new Dictionary<int, int>();
    var counter = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
    {
        latencies[worker] = [];
        while (clock.Elapsed.TotalSeconds < duration)
        {
            var n = Interlocked.Increment(ref counter);
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(n / rate);
                if (due.TotalSeconds >= duration) break;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            }

            var started = clock.Elapsed.TotalMilliseconds;
            int status;
            try
            {
                using var answer = await send(clients[worker % clients.Length], n);
                await answer.Content.LoadIntoBufferAsync();
                status = (int)answer.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }
            catch (TaskCanceledException)
            {
                status = -1;
            }

            latencies[worker].Add(clock.Elapsed.TotalMilliseconds - started);
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }
    }));
    return (statuses, latencies.SelectMany(l => l).ToList(), clock.Elapsed.TotalSeconds);
}

// Waits (at most 120 s) until LOAD_DRAINED_COMMAND prints 0; false when there is no such command or it never does.
static async Task<bool> DrainedAsync()
{
    if (Environment.GetEnvironmentVariable("LOAD_DRAINED_COMMAND") is not { Length: > 0 } command) return false;
    var deadline = DateTime.UtcNow.AddSeconds(120);
    while (DateTime.UtcNow < deadline)
    {
        if ((await ShellAsync(command)).Trim() == "0") return true;
        await Task.Delay(200);
    }

    return false;
}

async Task BurstAsync(int count)
{
    using var client = Client(count);
    var clock = Stopwatch.StartNew();
    var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
    {
        try
        {
            using var answer = await client.PostAsJsonAsync("/api/auth/login", new { login = known[n % known.Count], password });
            await answer.Content.LoadIntoBufferAsync();
            return ((int)answer.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, clock.Elapsed.TotalMilliseconds);
        }
    }));
    var statuses = answers.GroupBy(a => a.Item1).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}");
    Console.WriteLine($"burst_200_last_answer_ms {answers.Max(a => a.Item2):F0}");
    Console.WriteLine($"burst_200_statuses {string.Join(",", statuses)}");
}

// Known and unknown logins, alternating, one at a time: the medians must not tell them apart.
async Task TimingAsync()
{
    using var client = Client(1);
    var target = known[0];
    double[] Sorted(List<double> l) => l.Order().ToArray();
    const int pause = 60;
    async Task<(double Known, double Unknown)> Alternate(Func<bool, int, Task<HttpResponseMessage>> send, int pairs)
    {
        var (k, u) = (new List<double>(), new List<double>());
        for (var i = 0; i < pairs; i++)
        {
            foreach (var isKnown in i % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var clock = Stopwatch.StartNew();
                using var answer = await send(isKnown, i);
                await answer.Content.LoadIntoBufferAsync();
                (isKnown ? k : u).Add(clock.Elapsed.TotalMilliseconds);
                // The background work a request leaves (issuing, delivering, projections) must not land on the next
                // sample: with strict alternation it would always land on the same kind.
                await Task.Delay(pause);
            }
        }

        return (Percentile(Sorted(k), 0.5), Percentile(Sorted(u), 0.5));
    }

    var recovery = await Alternate((isKnown, i) => client.PostAsJsonAsync("/api/recovery/requests",
        new { login = isKnown ? known[1 + i % (known.Count - 1)] : $"nobody-t{i}-{Guid.NewGuid():N}"[..24], channel = "email-link" }), 100);
    Console.WriteLine($"timing_recovery_median_known_ms {recovery.Known:F2}");
    Console.WriteLine($"timing_recovery_median_unknown_ms {recovery.Unknown:F2}");
    // A wrong password for an account that exists against a login that does not: both are refused alike.
    var signIn = await Alternate((isKnown, i) => client.PostAsJsonAsync("/api/auth/login",
        new { login = isKnown ? target : $"nobody-s{i}-{Guid.NewGuid():N}"[..24], password = $"Wrong-{i}-Pass" }), 100);
    Console.WriteLine($"timing_signin_median_known_ms {signIn.Known:F2}");
    Console.WriteLine($"timing_signin_median_unknown_ms {signIn.Unknown:F2}");
}

// Clock ticks (Linux, 100 per second) of the processes in LOAD_CPU_PIDS and of the whole machine; zeros elsewhere.
static (long Nodes, long Machine) CpuTicks()
{
    if (!OperatingSystem.IsLinux()) return (0, 0);
    long nodes = 0;
    foreach (var pid in CpuPids()) nodes += StatTicks($"/proc/{pid}/stat");

    var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var machine = long.Parse(cpu[1]) + long.Parse(cpu[2]) + long.Parse(cpu[3]) + long.Parse(cpu[6]) + long.Parse(cpu[7]);
    return (nodes, machine);
}

// Clock ticks of the nodes' threads by name (the hashing threads are argon2-N), so that the hash's own cost can be
// told from the rest of a request's. A thread that ended in between is not counted.
static Dictionary<string, long> ThreadTicks()
{
    var ticks = new Dictionary<string, long>();
    if (!OperatingSystem.IsLinux()) return ticks;
    foreach (var pid in CpuPids())
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                name = name.StartsWith("argon2-", StringComparison.Ordinal) ? "argon2" : name;
                ticks[name] = ticks.GetValueOrDefault(name) + StatTicks(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
            }
        }
    }

    return ticks;
}

static IEnumerable<string> CpuPids() =>
    (Environment.GetEnvironmentVariable("LOAD_CPU_PIDS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

// User and system clock ticks from a /proc stat file (of a process or of one of its threads).
static long StatTicks(string path)
{
    var stat = File.ReadAllText(path);
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11]) + long.Parse(fields[12]);
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static void Report(string name, Result r)
{
    Console.WriteLine($"{name}_rps {r.RequestsPerSecond:F1}");
    Console.WriteLine($"{name}_ok_rps {r.SucceededPerSecond:F1}");
    Console.WriteLine($"{name}_p50_ms {r.P50:F1}");
    Console.WriteLine($"{name}_p99_ms {r.P99:F1}");
    Console.WriteLine($"{name}_drained_after_load_s {r.DrainedAfterSeconds:F1}");
    Console.WriteLine($"{name}_cpu_nodes_through_drained_ms_per_request {r.CpuNodesDrainedMs:F2}");
    Console.WriteLine($"{name}_cpu_machine_through_drained_ms_per_request {r.CpuMachineDrainedMs:F2}");
    Console.WriteLine($"{name}_cpu_nodes_idle_ms_per_second {r.CpuNodesIdleMsPerSecond:F1}");
    Console.WriteLine($"{name}_cpu_nodes_net_of_idle_ms_per_request {r.CpuNodesNetOfIdleMs:F2}");
    Console.WriteLine($"{name}_cpu_hashing_ms_per_request {r.CpuByThread.GetValueOrDefault("argon2"):F2}");
    Console.WriteLine($"{name}_counters_per_request {string.Join(",", r.CountersPerRequest.Select(c => $"{c.Key}:{c.Value:F2}"))}");
    Console.WriteLine($"{name}_cpu_by_thread_ms_per_request {string.Join(",", r.CpuByThread.Where(t => t.Value >= 0.05).OrderByDescending(t => t.Value).Select(t => $"{t.Key.Replace(' ', '_')}:{t.Value:F2}"))}");
    Console.WriteLine($"{name}_statuses {string.Join(",", r.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"))}");
}

internal sealed record Result(
    double RequestsPerSecond, double SucceededPerSecond, double P50, double P99, Dictionary<int, int> Statuses, double DrainedAfterSeconds, double CpuNodesDrainedMs, double CpuMachineDrainedMs,
    double CpuNodesIdleMsPerSecond, double CpuNodesNetOfIdleMs, Dictionary<string, double> CpuByThread,
    Dictionary<string, double> CountersPerRequest);
