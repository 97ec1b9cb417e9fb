using CrmBlazor.Bench;

// dotnet run -c Release --project bench/CrmBlazor.Bench -- generate --customers 1000000 --db bench/results/crm-1m.db
// dotnet run -c Release --project bench/CrmBlazor.Bench -- list --db bench/results/crm-1m.db --runs 200
// dotnet run -c Release --project bench/CrmBlazor.Bench -- generate --customers 1000000 --orders 5 --db bench/results/crm-1m-orders.db
// dotnet run -c Release --project bench/CrmBlazor.Bench -- tiers --db bench/results/crm-1m-orders.db --runs 50
// dotnet run -c Release --project bench/CrmBlazor.Bench -- quality --db bench/results/crm-1m.db --runs 50
// dotnet run -c Release --project bench/CrmBlazor.Bench -- generate --customers 1000000 --distinct-names --db bench/results/crm-1m-names.db
// dotnet run -c Release --project bench/CrmBlazor.Bench -- duplicates --db bench/results/crm-1m-names.db --changes 50
// dotnet run -c Release --project bench/CrmBlazor.Bench -- export --db bench/results/crm-1m-orders.db
// dotnet run -c Release --project bench/CrmBlazor.Bench -- import --rows 100000 --folder bench/results
// dotnet run -c Release --project bench/CrmBlazor.Bench -- generate-tickets --db bench/results/crm-1m-tickets.db --tickets 200000 --open 40000
// dotnet run -c Release --project bench/CrmBlazor.Bench -- tickets --db bench/results/crm-1m-tickets.db --runs 200
// dotnet run -c Release --project bench/CrmBlazor.Bench -- generate-pipeline --db bench/results/crm-1m.db --opportunities 500000 --leads 1000000
// dotnet run -c Release --project bench/CrmBlazor.Bench -- pipeline --db bench/results/crm-1m.db --runs 200 [--funnel-runs 50] [--explain]
// dotnet build CrmBlazor.Server -c Release && dotnet run -c Release --project bench/CrmBlazor.Bench -- api --db bench/results/crm-1m.db --clients 50 --seconds 20 --webhook-events 10000
// dotnet run -c Release --project bench/CrmBlazor.Bench -- events --redis 127.0.0.1:6379 --count 1000
// dotnet build CrmBlazor.Server -c Release && dotnet run -c Release --project bench/CrmBlazor.Bench -- browser-events --redis 127.0.0.1:6379 --count 200
// dotnet build CrmBlazor.Server -c Release && dotnet run -c Release --project bench/CrmBlazor.Bench -- boards --boards 300 --dashboards 10 --moves 20
var command = args.FirstOrDefault() ?? "help";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var db = Path.GetFullPath(Option("db", "bench/results/crm-1m.db"));

switch (command)
{
    case "generate":
        await Generator.RunAsync(db, int.Parse(Option("customers", "1000000"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("orders", "0"), System.Globalization.CultureInfo.InvariantCulture), args.Contains("--distinct-names"));
        break;
    case "generate-tickets":
        await TicketGenerator.RunAsync(db, int.Parse(Option("tickets", "200000"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("open", "40000"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "tickets":
        await TicketBenchmark.RunAsync(db, int.Parse(Option("runs", "200"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "generate-pipeline":
        await PipelineGenerator.RunAsync(db, int.Parse(Option("opportunities", "500000"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("leads", "1000000"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "pipeline":
        await PipelineBenchmark.RunAsync(db, int.Parse(Option("runs", "200"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("funnel-runs", Option("runs", "200")), System.Globalization.CultureInfo.InvariantCulture), args.Contains("--explain"));
        break;
    case "events":
        await EventLatencyBenchmark.RunAsync(Option("redis", "127.0.0.1:6379"), int.Parse(Option("count", "1000"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "browser-events":
        await BrowserLatencyBenchmark.RunAsync(Option("redis", "127.0.0.1:6379"), int.Parse(Option("count", "200"), System.Globalization.CultureInfo.InvariantCulture), Option("chromium", "/usr/bin/chromium"));
        break;
    case "boards":
        await BoardLoadBenchmark.RunAsync(int.Parse(Option("boards", "300"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("dashboards", "10"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("moves", "20"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("pages-per-context", "25"), System.Globalization.CultureInfo.InvariantCulture), Option("chromium", "/usr/bin/chromium"),
            int.Parse(Option("hold-seconds", "0"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("customers", "200"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("browser-boards", "10"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "api":
        await ApiBenchmark.RunAsync(db, int.Parse(Option("clients", "50"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("seconds", "20"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Option("webhook-events", "10000"), System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Option("rate", "2000"), System.Globalization.CultureInfo.InvariantCulture), double.Parse(Option("list-rate", "100"), System.Globalization.CultureInfo.InvariantCulture),
            Option("server-gen0size", ""));
        break;
    case "quality":
        await QualityBenchmark.RunAsync(db, int.Parse(Option("runs", "50"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "duplicates":
        await DuplicateBenchmark.RunAsync(db, int.Parse(Option("changes", "50"), System.Globalization.CultureInfo.InvariantCulture), !args.Contains("--no-scan"));
        break;
    case "tiers":
        await TierBenchmark.RunAsync(db, int.Parse(Option("runs", "50"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "export":
        await ExportBenchmark.RunAsync(db);
        break;
    case "import":
        await ImportBenchmark.RunAsync(Path.GetFullPath(Option("folder", "bench/results")), int.Parse(Option("rows", "100000"), System.Globalization.CultureInfo.InvariantCulture), Option("postgres", ""));
        break;
    case "import-phase":
        await ImportBenchmark.PhaseAsync(Option("phase", "check"), Option("file", ""), db, Option("postgres", ""));
        break;
    case "write-floor":
        await WriteFloorBenchmark.RunAsync(int.Parse(Option("customers", "95000"), System.Globalization.CultureInfo.InvariantCulture), db, Option("postgres", ""));
        break;
    case "sql":
        await ListBenchmark.ShowSqlAsync(db, Option("search", ""));
        break;
    case "overhead":
        await OverheadProbe.RunAsync(db);
        break;
    case "list":
        await ListBenchmark.RunAsync(db, int.Parse(Option("runs", "200"), System.Globalization.CultureInfo.InvariantCulture));
        break;
    default:
        Console.WriteLine("usage: generate --customers N [--orders N] [--distinct-names] --db FILE | generate-tickets --db FILE --tickets N --open N | tickets --db FILE --runs N | generate-pipeline --db FILE --opportunities N --leads N | pipeline --db FILE --runs N [--funnel-runs N] [--explain] | tiers --db FILE --runs N | quality --db FILE --runs N | duplicates --db FILE --changes N [--no-scan] | export --db FILE | import --rows N [--folder DIR] [--postgres CONNECTION] | write-floor [--customers N] --db FILE [--postgres CONNECTION] | list --db FILE --runs N | sql --db FILE | overhead --db FILE | api --db FILE [--clients N] [--seconds N] [--rate N] [--list-rate N] [--webhook-events N] [--server-gen0size HEX] | events --redis HOST:PORT --count N | browser-events --redis HOST:PORT --count N [--chromium PATH] | boards [--boards N] [--dashboards N] [--moves N] [--pages-per-context N] [--chromium PATH] [--hold-seconds N] [--customers N] [--browser-boards N]");
        break;
}
