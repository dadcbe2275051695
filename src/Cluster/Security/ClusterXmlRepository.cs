using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MetaAnomaly.Cluster.Security;

/// <summary>
/// The data-protection key ring in the cluster's database (<c>metaanomaly_data_protection_keys</c>), in place of a
/// node's key folder: every node reads the keys every node stored, so a cookie issued by one node is accepted by all.
/// ASP.NET Core calls it synchronously. The database is opened at the first call, so that the key manager's options can
/// be built before the host has validated <c>Cluster:PostgreSql</c> (a bad value then stops the start with its name).
/// </summary>
internal sealed class ClusterXmlRepository(Lazy<NpgsqlDataSource> database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = database.Value.CreateCommand("SELECT xml FROM metaanomaly_data_protection_keys ORDER BY stored, name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = database.Value.CreateCommand("INSERT INTO metaanomaly_data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string>("name", friendlyName));
        command.Parameters.Add(new NpgsqlParameter<string>("xml", element.ToString(SaveOptions.DisableFormatting)));
        command.ExecuteNonQuery();
    }
}
