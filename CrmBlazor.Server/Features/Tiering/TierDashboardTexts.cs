using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Server.Features.Dictionaries;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Tiering;

/// <summary>The tier dashboard's values in the reader's language: its cards and its workbook name them alike.</summary>
public static class TierDashboardTexts
{
    /// <summary>A tier by its code, a dictionary code by its label (<paramref name="labels"/> loaded), a blank as not rated or not filled in.</summary>
    public static string Value(CustomerDimension dimension, string code, DictionaryLabels labels, IStringLocalizer l) => (dimension, code) switch
    {
        (CustomerDimension.Tier, "") => l["Dashboard.NoTier"],
        (CustomerDimension.Tier, _) => code,
        (_, "") => l["Dashboard.Unknown"],
        (CustomerDimension.Industry, _) => labels.Label(DictionaryKind.Industry, code),
        (CustomerDimension.Size, _) => labels.Label(DictionaryKind.CompanySize, code),
        (CustomerDimension.Status, _) => labels.Label(DictionaryKind.CustomerStatus, code),
        _ => labels.Label(DictionaryKind.Region, code),
    };
}
