namespace CrmBlazor.Domain.Backups;

/// <summary><c>Backup:*</c> settings: where backups go, how long they are kept, and when the daily one runs.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>The folder for backup files; the host makes a relative path absolute under its content root.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("App_Data", "backups");

    /// <summary>Backup files taken more than this many days ago are deleted.</summary>
    public int KeepDays { get; set; } = 14;

    /// <summary>When the daily backup runs, in the company time zone (<c>Company:TimeZone</c>).</summary>
    public TimeOnly TimeOfDay { get; set; } = new(2, 0);

    public bool IsValid => KeepDays >= 1 && !string.IsNullOrWhiteSpace(Path);
}
