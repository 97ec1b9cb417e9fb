namespace CrmBlazor.Server;

/// <summary>Marker for the UI texts in Resources/SharedResource.resx (English) and SharedResource.zh-CN.resx.</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<T>: never instantiated, must not be static.
public sealed class SharedResource;
#pragma warning restore CA1052
/// <summary>Marker for MudBlazor's own texts in Chinese (Resources/MudTranslations.zh-CN.resx).</summary>
#pragma warning disable CA1052
public sealed class MudTranslations;
#pragma warning restore CA1052
