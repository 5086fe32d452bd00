using System.Globalization;
using System.Text.Json.Nodes;

namespace SpectralNotify.Bench;

/// <summary>CPU used by the server, this load generator, PostgreSQL and everything else over one phase, in cores.</summary>
internal sealed record CpuUse(double? Server, double LoadGenerator, double? Database, double? Other)
{
    public string Describe()
    {
        static string F(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "?";
        return Fmt.S($"server {F(Server)} cores, load generator {F(LoadGenerator)} cores, {(Database is { } d ? Fmt.S($"PostgreSQL {F(d)} cores, ") : "")}other processes {F(Other)} cores");
    }

    public void AddTo(JsonObject json)
    {
        json["server_cpu_cores"] = Server is { } s ? Fmt.Round(s) : null;
        json["loadgen_cpu_cores"] = Fmt.Round(LoadGenerator);
        json["db_cpu_cores"] = Database is { } d ? Fmt.Round(d) : null;
        json["other_cpu_cores"] = Other is { } o ? Fmt.Round(o) : null;
    }
}

/// <summary>Takes the CPU counters at the start of a phase; <see cref="Stop"/> turns their deltas into cores.</summary>
internal sealed class CpuWindow
{
    private readonly ServerProbe _probe;
    private readonly int? _dbPid;
    private readonly double? _server0;
    private readonly double _self0;
    private readonly double? _machine0;
    private readonly double? _db0;

    private CpuWindow(ServerProbe probe, int? dbPid)
    {
        _probe = probe;
        _dbPid = dbPid;
        _server0 = probe.CpuSeconds();
        _self0 = Self.CpuSeconds();
        _machine0 = MachineCpu.BusySeconds();
        _db0 = ProcessTree.CpuSeconds(dbPid);
    }

    public static CpuWindow Start(ServerProbe probe, int? dbPid) => new(probe, dbPid);

    public CpuUse Stop(double seconds)
    {
        var server = _probe.CpuSeconds() - _server0;
        var self = Self.CpuSeconds() - _self0;
        var db = ProcessTree.CpuSeconds(_dbPid) - _db0;
        var other = MachineCpu.OtherCores(MachineCpu.BusySeconds() - _machine0, server, self, db, seconds);
        return new CpuUse(server / seconds, self / seconds, db / seconds, other);
    }
}
