using MetaAnomaly.Dashboard.Extensions;
using MetaAnomaly.Ingest.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddIngest();
builder.AddDashboard();

var app = builder.Build();
app.MapDashboard();
app.Run();

public partial class Program;
