using System.Xml.Linq;
using CrmBlazor.Domain.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CrmBlazor.Server.Hosting;

/// <summary>Stores data-protection keys in the CrmBlazor database (<see cref="DataProtectionKey"/>).</summary>
public sealed class DatabaseXmlRepository(DatabaseSettings database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = DomainServices.CreateSystemContext(database, time);
        return db.DataProtectionKeys.Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = DomainServices.CreateSystemContext(database, time);
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
