using MetaAnomaly.Cluster.Extensions;
using MetaAnomaly.Dashboard.Extensions;
using MetaAnomaly.Dashboard.Hosting;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Ingest.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddIngest();
builder.AddForecasting();
builder.AddDetection();
builder.AddDashboard();
builder.AddCluster();

var app = builder.Build();
app.MapDashboard();
app.MapCluster();
return app.RunOrExplain();

public partial class Program;
